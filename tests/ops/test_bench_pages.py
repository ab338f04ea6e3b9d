"""The staff pages' benchmark measures every staff page: a page added to the permission matrix without its
entry in bench/pages.py would never be timed."""

from bench.pages import PAGES_DU_PERSONNEL
from tests.test_matrice_permissions import MATRICE

# Files to download are timed by their own benchmarks (bench/indicateurs.py, bench/tiers_payant.py).
TELECHARGEMENTS = ("_csv", "_pdf", "export_paiements")
HORS_DU_PERSONNEL = ("anonyme", "parent_a", "parent_b", "assmat")


def pages_du_personnel_de_la_matrice() -> set[str]:
    return {
        nom
        for nom, ligne in MATRICE.items()
        if not nom.endswith(TELECHARGEMENTS)
        and all(ligne.attendu[role] != 200 for role in HORS_DU_PERSONNEL)
        and 200 in (ligne.attendu["animateur_x"], ligne.attendu["agent_caf"])
    }


def test_chaque_page_du_personnel_de_la_matrice_est_mesuree():
    mesurees = {page.url_name for page in PAGES_DU_PERSONNEL}

    assert pages_du_personnel_de_la_matrice() - mesurees == set()
