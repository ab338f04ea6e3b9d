"""Every change made by a signed-in person is in the audit trail: who, when, what, from where — never the form."""

import pytest
from django.urls import reverse

from audit.models import AuditLog
from tests.demandes.factories import DemandeFactory
from tests.factories import PASSWORD, AgentCafFactory, MembreRelaisFactory, UserFactory

pytestmark = pytest.mark.django_db

NAVIGATEUR = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def _ecritures():
    return AuditLog.objects.exclude(vue="").order_by("pk")


def test_une_animatrice_qui_prend_une_demande_laisse_une_trace_complete(client):
    demande = DemandeFactory()
    animatrice = MembreRelaisFactory(relais=demande.relais).user
    client.force_login(animatrice)

    response = client.post(reverse("demandes:prendre", args=[demande.pk]), headers={"user-agent": NAVIGATEUR})

    assert response.status_code == 302
    entree = _ecritures().get()
    assert (entree.user, entree.email, entree.role, entree.action) == (
        animatrice,
        animatrice.email,
        "animateur",
        "update",
    )
    assert (entree.vue, entree.parametres) == ("demandes:prendre", {"pk": str(demande.pk)})
    assert (entree.ip, entree.user_agent) == ("127.0.0.1", NAVIGATEUR)
    assert entree.path == reverse("demandes:prendre", args=[demande.pk])
    assert entree.departement == demande.relais.departement
    assert f"POST demandes:prendre pk={demande.pk}" in entree.description


def test_le_contenu_du_formulaire_n_est_pas_copie_dans_le_journal(client):
    demande = DemandeFactory(prise_en_charge=True)
    client.force_login(MembreRelaisFactory(relais=demande.relais).user)

    client.post(reverse("demandes:note", args=[demande.pk]), {"texte": "Le père est au chômage depuis mars"})

    entree = _ecritures().get(vue="demandes:note")
    assert "chômage" not in f"{entree.description} {entree.parametres} {entree.path}"


def test_une_demande_refusee_ou_une_simple_lecture_n_est_pas_une_modification(client):
    demande = DemandeFactory()
    client.force_login(MembreRelaisFactory().user)  # another relais

    assert client.post(reverse("demandes:prendre", args=[demande.pk])).status_code == 404
    client.force_login(MembreRelaisFactory(relais=demande.relais).user)
    assert client.get(reverse("demandes:detail", args=[demande.pk])).status_code == 200

    assert not _ecritures().exists()


def test_un_envoi_anonyme_n_est_pas_journalise_comme_une_modification(client):
    user = UserFactory()

    client.post(reverse("account_login"), {"login": user.email, "password": "mauvais mot de passe"})
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert not _ecritures().exists()
    assert AuditLog.objects.filter(user=user, action="login").count() == 1


def test_une_modification_faite_par_un_admin_n_est_lisible_que_des_admins(client):
    demande = DemandeFactory()
    admin = UserFactory(admin=True)
    client.force_login(admin)

    client.post(reverse("demandes:prendre", args=[demande.pk]))

    entree = _ecritures().get(user=admin)
    assert entree.departement is None
    client.force_login(AgentCafFactory(departement=demande.relais.departement).user)
    assert entree not in client.get(reverse("audit:journal")).context["page"]
