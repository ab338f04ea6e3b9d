"""A CAF agent reads the audit trail of their own départements only; admins read all of it."""

import pytest
from django.urls import reverse

from audit.models import AuditLog
from tests.demandes.factories import DemandeFactory
from tests.factories import (
    PASSWORD,
    AgentCafFactory,
    DepartementFactory,
    MembreRelaisFactory,
    RelaisFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _agent_du_gard():
    # The factories' relais are all in the Hérault unless told otherwise.
    return AgentCafFactory(departement=DepartementFactory(code="30", nom="Gard")).user


def _journal_vu_par(client, user) -> list[AuditLog]:
    client.force_login(user)
    response = client.get(reverse("audit:journal"))
    assert response.status_code == 200
    return list(response.context["page"])


def _lecture_d_une_demande(client, demande) -> AuditLog:
    client.force_login(MembreRelaisFactory(relais=demande.relais).user)
    assert client.get(reverse("demandes:detail", args=[demande.pk])).status_code == 200
    client.logout()
    return AuditLog.objects.get(action="read", object_id=str(demande.pk))


def test_la_lecture_d_une_demande_est_rattachee_a_son_relais_et_a_son_departement(client):
    demande = DemandeFactory()

    entree = _lecture_d_une_demande(client, demande)

    assert (entree.relais, entree.departement) == (demande.relais, demande.relais.departement)


def test_un_agent_caf_ne_voit_pas_ce_qui_concerne_un_relais_d_un_autre_departement(client):
    demande = DemandeFactory()
    entree = _lecture_d_une_demande(client, demande)
    agent_ailleurs = _agent_du_gard()
    agent_du_departement = AgentCafFactory(departement=demande.relais.departement).user

    assert entree not in _journal_vu_par(client, agent_ailleurs)
    assert entree in _journal_vu_par(client, agent_du_departement)
    assert entree in _journal_vu_par(client, UserFactory(admin=True))


def test_un_agent_caf_de_deux_departements_voit_les_deux(client):
    premiere = DemandeFactory()
    seconde = DemandeFactory(relais=RelaisFactory(departement=DepartementFactory(code="30", nom="Gard")))
    entrees = [_lecture_d_une_demande(client, premiere), _lecture_d_une_demande(client, seconde)]
    agent = AgentCafFactory(departement=premiere.relais.departement).user
    AgentCafFactory(user=agent, departement=seconde.relais.departement)

    assert sorted(e.pk for e in _journal_vu_par(client, agent) if e.action == "read") == sorted(e.pk for e in entrees)


def test_la_connexion_d_une_famille_n_est_visible_que_des_admins(client):
    parent = UserFactory()
    client.post(reverse("account_login"), {"login": parent.email, "password": PASSWORD})
    client.logout()
    connexion = AuditLog.objects.get(user=parent, action="login")

    assert connexion.departement is None
    assert connexion not in _journal_vu_par(client, _agent_du_gard())
    assert connexion in _journal_vu_par(client, UserFactory(admin=True))


def test_la_connexion_d_une_animatrice_est_visible_de_l_agent_de_son_departement(client):
    membre = MembreRelaisFactory()
    client.post(reverse("account_login"), {"login": membre.user.email, "password": PASSWORD})
    client.logout()
    connexion = AuditLog.objects.get(user=membre.user, action="login")

    assert connexion.departement == membre.relais.departement
    assert connexion in _journal_vu_par(client, AgentCafFactory(departement=membre.relais.departement).user)
    assert connexion not in _journal_vu_par(client, _agent_du_gard())


def test_un_agent_caf_retrouve_ses_propres_exports(client):
    agent = AgentCafFactory(departement=RelaisFactory().departement).user
    client.force_login(agent)
    assert client.get(reverse("demandes:besoins_non_satisfaits_csv")).status_code == 200
    export = AuditLog.objects.get(action="export")

    assert export.departement is not None
    assert export in _journal_vu_par(client, agent)
    assert export not in _journal_vu_par(client, _agent_du_gard())


def test_les_types_proposes_au_filtre_sont_ceux_du_journal_visible(client):
    _lecture_d_une_demande(client, DemandeFactory())
    client.force_login(_agent_du_gard())

    choix = client.get(reverse("audit:journal")).context["form"].fields["object_type"].choices

    assert ("demandes.demande", "demandes.demande") not in choix
