"""The backup runbook's point-in-time recovery (docs/sauvegarde.md) works: scripts/pitr-drill restores a base
backup plus archived WAL up to a moment T on a throwaway PostgreSQL cluster, and says so only when it did."""

import os
import re
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pitr-drill"


def _exercice(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script
        [SCRIPT], env=os.environ | env, capture_output=True, text=True, timeout=120, check=False
    )


def test_une_sauvegarde_restauree_jusqu_a_t_rend_les_lignes_d_avant_t_et_pas_celles_d_apres():
    resultat = _exercice()

    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert re.search(r"checked: A=100 B=100 +[0-9.]+ s$", resultat.stdout, re.MULTILINE)
    assert resultat.stdout.splitlines()[-1].startswith("PASS")


def test_l_exercice_echoue_quand_la_restauration_va_trop_loin():
    resultat = _exercice(PITR_DRILL_SABOTAGE="1")

    assert resultat.returncode == 1
    assert "FAIL: expected A=100 B=100 (and no C), found: A=100 B=100 C=100" in resultat.stdout
