"""No secret in the repository: private keys, cloud or forge tokens, key files, or a real value in the templates
of the environment. Secrets live in `.env` (never tracked) and the team's secret store.

Scans the files git tracks (the index, so a file staged for the next commit is scanned too).
"""

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MOTIFS = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY( BLOCK)?-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})"),
    "GitLab token": re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "Stripe secret key": re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}"),
    "password in a database URL": re.compile(
        r"\bpostgres(?:ql)?://[^:/@\s]+:(?!(?:PASSWORD|CHANGE_ME|\$\{?[A-Z_]+\}?)@)[^@\s]+@"
    ),
}
# Files holding keys or certificates, and environment files other than the documented template.
FICHIERS_INTERDITS = re.compile(r"(^|/)(\.env(\..+)?|id_(rsa|dsa|ecdsa|ed25519)|.+\.(pem|key|p12|pfx|jks|keystore))$")
MODELES_D_ENVIRONNEMENT = {".env.example"}
# In the template, a secret's value must stay empty: the operator fills it in their own `.env`.
VALEUR_SECRETE = re.compile(r"^((?:[A-Z0-9_]*_)?(?:SECRET|PASSWORD|TOKEN|API_KEY)[A-Z0-9_]*)=(\S+)", re.MULTILINE)


def _fichiers_suivis() -> list[str]:
    git = shutil.which("git")
    assert git, "git is needed to list the repository's files"
    sortie = subprocess.run(  # noqa: S603 - fixed command
        [git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout
    return [nom for nom in sortie.decode().split("\0") if nom]


def secrets_dans(texte: str) -> list[str]:
    return [nom for nom, motif in MOTIFS.items() if motif.search(texte)]


def test_le_detecteur_reconnait_chaque_sorte_de_secret():
    # Built at run time so that this file holds none of them.
    exemples = {
        "private key": "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIE",
        "AWS access key": "aws_access_key_id = AKIA" + "Z" * 16,
        "GitHub token": "token: ghp_" + "a1" * 18,
        "GitLab token": "glpat-" + "x" * 20,
        "Slack token": "xoxb-" + "1234567890-abc",
        "Google API key": "AIza" + "B" * 35,
        "Stripe secret key": "sk_live_" + "c" * 24,
        "password in a database URL": "DATABASE_URL=postgres://guichet:" + "s3cr3t-du-pr0d@db:5432/guichet",
    }
    assert exemples.keys() == MOTIFS.keys()
    for nom, texte in exemples.items():
        assert secrets_dans(texte) == [nom], nom


def test_les_exemples_documentes_ne_sont_pas_pris_pour_des_secrets():
    documentes = "postgres://USER:PASSWORD@HOST:PORT/NAME postgres://guichet:CHANGE_ME@postgres:5432/guichet"

    assert secrets_dans(documentes) == []


def test_aucun_fichier_suivi_ne_contient_de_secret():
    trouves = []
    for nom in _fichiers_suivis():
        chemin = ROOT / nom
        if not chemin.is_file():  # deleted in the working tree, not yet in a commit
            continue
        contenu = chemin.read_bytes()
        if b"\0" in contenu[:8192]:  # binary
            continue
        trouves += [f"{nom}: {sorte}" for sorte in secrets_dans(contenu.decode("utf-8", errors="replace"))]

    assert trouves == []


def test_aucun_fichier_de_cle_ni_d_environnement_n_est_suivi():
    suivis = _fichiers_suivis()

    assert [nom for nom in suivis if FICHIERS_INTERDITS.search(nom) and nom not in MODELES_D_ENVIRONNEMENT] == []
    # The operator's `.env` (made from .env.example next to the code) can never be added by mistake.
    ignore = subprocess.run([shutil.which("git"), "check-ignore", "-q", ".env"], cwd=ROOT, check=False, timeout=60)  # noqa: S603
    assert ignore.returncode == 0, ".env is not ignored by git"


def test_le_modele_d_environnement_laisse_les_secrets_vides():
    modele = (ROOT / ".env.example").read_text()

    assert VALEUR_SECRETE.findall(modele) == []
    # The variables are there, to be filled in.
    assert {"DJANGO_SECRET_KEY=", "POSTGRES_PASSWORD="} <= set(modele.split())
