from datetime import timedelta

import pytest
from django.utils import timezone

from demandes.models import Mode, Situation
from demandes.services import DonneesDemande
from tests.demandes.factories import SEMAINE_DE_BUREAU
from tests.factories import CommuneFactory, MembreRelaisFactory, RelaisFactory, UserFactory


@pytest.fixture
def relais():
    siege = CommuneFactory(nom="Saint-Clément", code_insee="34247")
    return RelaisFactory(nom="RPE des Garrigues", commune_siege=siege)


@pytest.fixture
def animatrice(relais):
    return MembreRelaisFactory(relais=relais, user__first_name="Camille", user__last_name="Martin").user


@pytest.fixture
def parent():
    return UserFactory(first_name="Nadia", last_name="Benali")


def donnees_valides(commune, **changements) -> DonneesDemande:
    valeurs = {
        "telephone": "06 12 34 56 78",
        "code_postal": commune.codes_postaux[0],
        "commune_id": commune.pk,
        "enfant_prenom": "Léa",
        "enfant_date": timezone.localdate() - timedelta(days=200),
        "date_debut_souhaitee": timezone.localdate() + timedelta(days=60),
        "creneaux": list(SEMAINE_DE_BUREAU),
        "modes": [Mode.ASSMAT, Mode.CRECHE],
        "situation_parent1": Situation.EMPLOI,
    }
    return DonneesDemande(**(valeurs | changements))
