import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from formation.models import OrganismeFormation
from formation.validators import valider_siret
from tests.formation.factories import SIRETS


@pytest.mark.parametrize("siret", SIRETS)
def test_un_siret_dont_la_cle_de_luhn_est_juste_est_accepte(siret):
    valider_siret(siret)


def test_un_siret_avec_une_mauvaise_cle_est_refuse():
    with pytest.raises(ValidationError, match="clé de contrôle") as exc:
        valider_siret("73282932000075")

    assert exc.value.code == "siret_cle"


@pytest.mark.parametrize("siret", ["7328293200007", "732829320000740", ""])
def test_un_siret_qui_n_a_pas_14_chiffres_est_refuse(siret):
    with pytest.raises(ValidationError, match="exactement 14 chiffres") as exc:
        valider_siret(siret)

    assert exc.value.code == "siret_format"


@pytest.mark.parametrize("siret", ["7328293200007A", "732 829 320 00", "７３２８２９３２０００７４"])
def test_un_siret_avec_des_lettres_ou_autres_caracteres_est_refuse(siret):
    with pytest.raises(ValidationError, match="exactement 14 chiffres"):
        valider_siret(siret)


def test_les_etablissements_de_la_poste_suivent_la_regle_de_la_somme_multiple_de_5():
    # Luhn fails, but the digits sum to 45: INSEE's rule for La Poste (SIREN 356 000 000).
    valider_siret("35600000049837")
    # The head office keeps a Luhn key.
    valider_siret("35600000000048")
    with pytest.raises(ValidationError):
        valider_siret("35600000049838")


@pytest.mark.django_db
def test_la_base_refuse_un_siret_qui_n_est_pas_fait_de_14_chiffres():
    with pytest.raises(IntegrityError):
        OrganismeFormation.objects.create(nom="Sans contrôle", siret="ABC")
