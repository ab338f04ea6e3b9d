"""The convention PDF: A4, tagged (PDF/UA-1), the parties, the amounts and the recorded signature times;
its SHA-256 shown in the portal is the stored file's."""

import hashlib
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.pdf import texte_du_pdf
from tests.tiers_payant.conftest import envoyer, preparer, signer_tous
from tiers_payant import selectors
from tiers_payant.models import Partie

pytestmark = pytest.mark.django_db


def infos_du_pdf(contenu: bytes, tmp_path, *options: str) -> str:
    chemin = tmp_path / "infos.pdf"
    chemin.write_bytes(contenu)
    return subprocess.run(
        [shutil.which("pdfinfo") or "/usr/bin/pdfinfo", *options, str(chemin)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


@pytest.fixture
def signee(acteurs):
    return signer_tous(acteurs, envoyer(acteurs, parent2=None))


def test_le_pdf_signe_contient_les_parties_les_montants_et_les_heures_de_signature(acteurs, signee, tmp_path):
    document = selectors.document_signe(signee, contenu=True)
    contenu = bytes(document.contenu)
    texte = " ".join(texte_du_pdf(contenu, tmp_path).split())

    assert contenu.startswith(b"%PDF")
    assert signee.reference in texte
    # The three parties: the département's CAF and its signatory, the parent, the childminder and her agrément.
    assert "CAF de l'Hérault" in texte
    assert "Bruno Caf" in texte
    assert "Paula Parent" in texte
    assert "Sylvie Nounou" in texte
    assert f"agrément n° {acteurs.assmat.agrement.numero}" in texte
    assert "Lina" in texte
    # Amounts, with the engine's intermediate values.
    assert "125 h" in texte
    assert "4,85 €" in texte
    assert "374,13 €" in texte
    assert "232,12 €" in texte
    assert "0,0619 %" in texte
    assert "18 mois" in texte
    # Clauses and the recorded time of each signature, in Paris time.
    assert "Qui paie quoi, et quand" in texte
    assert "Fin de la convention" in texte
    for signature in selectors.signatures_en_vigueur(signee).values():
        local = timezone.localtime(signature.signed_at)
        assert f"le {local:%d/%m/%Y} à {local:%H:%M:%S}" in texte
    assert "Page 1 sur 2" in texte


def test_le_pdf_est_un_a4_balise_pdf_ua(signee, tmp_path):
    contenu = bytes(selectors.document_signe(signee, contenu=True).contenu)
    infos = infos_du_pdf(contenu, tmp_path)

    assert "Tagged:          yes" in infos
    assert "x 841.89 pts (A4)" in infos
    assert "Title:           Convention de tiers payant du CMG" in infos
    # WeasyPrint's PDF/UA-1 variant declares itself in the XMP metadata.
    assert 'pdfuaid:part="1"' in infos_du_pdf(contenu, tmp_path, "-meta")


def test_l_empreinte_affichee_est_celle_du_fichier_stocke_et_telecharge(client, acteurs, signee):
    client.force_login(acteurs.parent)

    page = client.get(reverse("tiers_payant:convention", args=[signee.pk])).content.decode()
    telecharge = client.get(reverse("tiers_payant:pdf", args=[signee.pk]))

    stocke = selectors.document_signe(signee, contenu=True)
    empreinte = hashlib.sha256(
        b"".join(telecharge.streaming_content if telecharge.streaming else [telecharge.content])
    )
    assert telecharge["Content-Type"] == "application/pdf"
    assert empreinte.hexdigest() == stocke.sha256 == hashlib.sha256(bytes(stocke.contenu)).hexdigest()
    assert f'<code class="text-break" id="empreinte-signee">{stocke.sha256}</code>' in page


def test_chaque_signature_porte_l_empreinte_du_document_soumis(signee):
    a_signer = selectors.document_a_signer(signee, contenu=True)

    assert hashlib.sha256(bytes(a_signer.contenu)).hexdigest() == a_signer.sha256
    assert {s.document_sha256 for s in signee.signatures.all()} == {a_signer.sha256}
    assert set(selectors.signatures_en_vigueur(signee)) == {Partie.CAF, Partie.PARENT, Partie.ASSMAT}


def test_un_brouillon_se_telecharge_marque_projet(client, acteurs, tmp_path):
    convention = preparer(acteurs)
    client.force_login(acteurs.animatrice)

    response = client.get(reverse("tiers_payant:pdf", args=[convention.pk]))

    assert response.content.startswith(b"%PDF")
    assert "projet" in response["Content-Disposition"]
    assert "Projet non signé" in " ".join(texte_du_pdf(response.content, tmp_path).split())


def test_l_exemplaire_de_la_caf_designe_l_enfant_par_la_reference_et_renvoie_a_l_original(
    client, acteurs, signee, tmp_path
):
    client.force_login(acteurs.agent)

    response = client.get(reverse("tiers_payant:pdf", args=[signee.pk]))

    texte = " ".join(texte_du_pdf(response.content, tmp_path).split())
    original = selectors.document_signe(signee)
    assert "caf.pdf" in response["Content-Disposition"]
    assert "Lina" not in texte
    assert "15/03/2025" not in texte
    assert f"l'accueil de l'enfant de la famille (convention {signee.reference})" in texte
    # The parties' signatures and the original the parties signed, which names the child, by its SHA-256.
    assert "Paula Parent" in texte
    assert original.sha256 in texte.replace(" ", "")
    for signature in selectors.signatures_en_vigueur(signee).values():
        local = timezone.localtime(signature.signed_at)
        assert f"le {local:%d/%m/%Y} à {local:%H:%M:%S}" in texte
