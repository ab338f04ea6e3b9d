import pytest
from django.db import transaction

from comptes.compteurs import prendre_numeros, prochaine_reference
from demandes.models import CompteurReference as CompteurDemandes
from tiers_payant.models import CompteurReference as CompteurConventions

pytestmark = pytest.mark.django_db(transaction=True)


def test_un_lot_de_numeros_suit_les_references_deja_donnees_sans_trou():
    assert prochaine_reference(CompteurDemandes, "RPE", 2026) == "RPE-2026-000001"

    assert prendre_numeros(CompteurDemandes, 2026, 3) == 4
    assert prochaine_reference(CompteurDemandes, "RPE", 2026) == "RPE-2026-000005"


def test_chaque_compteur_et_chaque_annee_numerotent_a_part():
    prendre_numeros(CompteurDemandes, 2026, 7)

    assert prochaine_reference(CompteurConventions, "TP", 2026) == "TP-2026-000001"
    assert prochaine_reference(CompteurDemandes, "RPE", 2027) == "RPE-2027-000001"


@transaction.atomic
def _deposer_puis_echouer():
    prendre_numeros(CompteurDemandes, 2026, 2)
    raise RuntimeError("le dépôt échoue après avoir pris ses numéros")


def test_une_transaction_annulee_rend_ses_numeros():
    with pytest.raises(RuntimeError):
        _deposer_puis_echouer()

    assert prochaine_reference(CompteurDemandes, "RPE", 2026) == "RPE-2026-000001"
