"""The relais home: what is waiting, counted, each figure a link to the queue that lists it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.models import Statut
from demandes.services import proposer_rendez_vous
from tests.demandes.factories import DemandeFactory
from tests.factories import MembreRelaisFactory, RelaisFactory

pytestmark = pytest.mark.django_db


def _il_y_a(**kwargs):
    return timezone.now() - timedelta(**kwargs)


@pytest.fixture
def relais():
    return RelaisFactory()


@pytest.fixture
def animatrice(relais):
    return MembreRelaisFactory(relais=relais).user


def _accueil(client, user):
    client.force_login(user)
    return client.get(reverse("portail:espace_animateur"))


def test_l_accueil_compte_les_nouvelles_les_urgences_les_retards_et_mes_demandes(client, relais, animatrice):
    DemandeFactory(relais=relais)
    DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=2))
    DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=30))
    DemandeFactory(relais=relais, statut=Statut.PRISE_EN_CHARGE, prise_par=animatrice)
    DemandeFactory(relais=relais, solution_trouvee=True, prise_par=animatrice)
    DemandeFactory(urgente=True, date_depot=_il_y_a(hours=30))  # another relais

    compteurs = _accueil(client, animatrice).context["compteurs"]

    assert (compteurs.nouvelles, compteurs.urgentes, compteurs.en_retard, compteurs.pour_moi) == (3, 2, 1, 1)


def test_chaque_compteur_mene_a_la_file_qui_liste_ces_demandes(client, relais, animatrice):
    en_retard = DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=30))
    DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=2))
    contenu = _accueil(client, animatrice).content.decode()
    assert f'href="{reverse("demandes:file")}?urgence=en_retard"' in contenu

    reponse = client.get(reverse("demandes:file"), {"urgence": "en_retard"})

    assert [ligne["demande"] for ligne in reponse.context["lignes"]] == [en_retard]


def test_l_accueil_montre_les_urgences_traitees_sous_24_h_de_l_annee(client, relais, animatrice, time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 10, tzinfo=UTC))
    maintenant = timezone.now()
    DemandeFactory(relais=relais, urgente=True, date_depot=datetime(2025, 12, 30, 10, tzinfo=UTC))  # last year
    traitee = DemandeFactory(relais=relais, urgente=True, prise=True, date_depot=_il_y_a(hours=10))
    proposer_rendez_vous(
        demande_id=traitee.pk,
        par=traitee.prise_par,
        debut=maintenant + timedelta(days=1),
        modalite="telephone",
        lieu="",
    )
    DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=30))

    contenu = _accueil(client, animatrice).content.decode()

    assert "Urgences traitées sous 24 h en 2026" in contenu
    assert "<strong>1 sur 2</strong> (50 %)" in contenu
