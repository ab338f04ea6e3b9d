"""« Suivie par » names whoever last acted for the relais on a request."""

import pytest
from django.urls import reverse

from demandes import services
from demandes.models import Demande
from tests.assmats.factories import AssistantMaternelFactory
from tests.demandes.factories import DemandeFactory
from tests.factories import MembreRelaisFactory

pytestmark = pytest.mark.django_db


def test_la_collegue_qui_agit_sur_une_demande_la_suit_desormais(client, relais):
    demande = DemandeFactory(relais=relais, rdv_realise=True)
    collegue = MembreRelaisFactory(relais=relais, user__first_name="Inès", user__last_name="Roux").user

    services.enregistrer_proposition(demande_id=demande.pk, par=collegue, mode="creche", description="Crèche Les Pins")

    assert Demande.objects.get(pk=demande.pk).prise_par == collegue
    client.force_login(collegue)
    assert "par Inès Roux" in client.get(reverse("demandes:file")).content.decode()


def test_la_reponse_d_une_assmat_ne_change_pas_qui_suit_la_demande(relais):
    demande = DemandeFactory(relais=relais, propositions_faites=True)
    animatrice = demande.prise_par
    assmat = AssistantMaternelFactory(commune=relais.commune_siege, email="rose@exemple.fr")
    proposition = services.enregistrer_proposition(
        demande_id=demande.pk, par=animatrice, mode="", assistant_maternel_id=assmat.pk
    )

    services.repondre_proposition(proposition_id=proposition.pk, par=assmat.user, accepte=True)

    assert Demande.objects.get(pk=demande.pk).prise_par == animatrice
