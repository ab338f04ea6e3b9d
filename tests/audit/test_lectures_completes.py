"""Staff reads of a convention's monthly statements and of a parent's alternative childcare request are in the
audit trail like the convention and the request themselves; the family reading its own is not."""

import pytest
from django.urls import reverse

from audit.models import AuditLog
from tests.factories import AgentCafFactory, MembreRelaisFactory
from tests.formation.factories import DemandeAlternativeFactory
from tests.tiers_payant.factories import ConventionFactory, releve

pytestmark = pytest.mark.django_db


def test_les_releves_d_une_convention_lus_par_l_agent_caf_sont_journalises(client):
    convention = ConventionFactory(active=True)
    releve(convention)
    agent = AgentCafFactory(departement=convention.relais.departement).user
    client.force_login(agent)

    assert client.get(reverse("tiers_payant:releves", args=[convention.pk])).status_code == 200

    entree = AuditLog.objects.get(action="read", object_type="tiers_payant.convention")
    assert (entree.user, entree.object_id, entree.relais_id) == (agent, str(convention.pk), convention.relais_id)
    assert entree.path == reverse("tiers_payant:releves", args=[convention.pk])
    assert convention.reference in entree.description


def test_les_releves_lus_par_la_famille_ne_sont_pas_journalises(client):
    convention = ConventionFactory(active=True)
    client.force_login(convention.parent)

    assert client.get(reverse("tiers_payant:releves", args=[convention.pk])).status_code == 200

    assert not AuditLog.objects.filter(action="read").exists()


def test_une_demande_d_accueil_alternatif_lue_par_l_animatrice_est_journalisee(client):
    demande = DemandeAlternativeFactory()
    animatrice = MembreRelaisFactory(relais=demande.relais).user
    client.force_login(animatrice)

    assert client.get(reverse("formation:demande_alternative", args=[demande.pk])).status_code == 200

    entree = AuditLog.objects.get(action="read")
    assert (entree.user, entree.object_type, entree.object_id) == (
        animatrice,
        "formation.demandeaccueilalternatif",
        str(demande.pk),
    )
    assert entree.relais_id == demande.relais_id
