"""The audit trail: staff reads and exports are recorded, nobody edits it, admins and CAF agents search it."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.admin import AuditLogAdmin
from audit.models import AuditLog
from tests.assmats.factories import AssistantMaternelFactory
from tests.demandes.factories import DemandeFactory
from tests.factories import PASSWORD, AgentCafFactory, MembreRelaisFactory, UserFactory
from tests.tiers_payant.factories import ConventionFactory

pytestmark = pytest.mark.django_db


def _entree(**filtres) -> AuditLog:
    return AuditLog.objects.get(**filtres)


def test_une_animatrice_qui_ouvre_une_demande_laisse_une_trace(client):
    demande = DemandeFactory()
    animatrice = MembreRelaisFactory(relais=demande.relais).user
    client.force_login(animatrice)

    assert client.get(reverse("demandes:detail", args=[demande.pk])).status_code == 200
    assert client.get(reverse("demandes:mise_en_relation", args=[demande.pk])).status_code == 200

    lectures = AuditLog.objects.filter(action="read", object_type="demandes.demande", object_id=str(demande.pk))
    assert lectures.count() == 2
    entree = lectures.order_by("pk").first()
    assert (entree.user, entree.email, entree.role) == (animatrice, animatrice.email, "animateur")
    assert entree.ip == "127.0.0.1"
    assert entree.path == reverse("demandes:detail", args=[demande.pk])
    assert demande.reference in entree.description


def test_une_famille_qui_lit_sa_propre_demande_n_est_pas_journalisee(client):
    demande = DemandeFactory()
    client.force_login(demande.parent)

    assert client.get(reverse("demandes:detail", args=[demande.pk])).status_code == 200

    assert not AuditLog.objects.filter(action="read").exists()


def test_une_demande_d_un_autre_relais_n_est_ni_montree_ni_journalisee(client):
    demande = DemandeFactory()
    client.force_login(MembreRelaisFactory().user)

    assert client.get(reverse("demandes:detail", args=[demande.pk])).status_code == 404

    assert not AuditLog.objects.filter(action="read").exists()


def test_la_fiche_d_une_assmat_et_une_convention_consultees_par_le_personnel_sont_journalisees(client):
    convention = ConventionFactory(active=True)
    agent = AgentCafFactory(departement=convention.relais.departement).user
    assmat = AssistantMaternelFactory(commune=convention.relais.commune_siege)
    client.force_login(agent)

    assert client.get(reverse("assmats:fiche", args=[assmat.pk])).status_code == 200
    assert client.get(reverse("tiers_payant:convention", args=[convention.pk])).status_code == 200
    assert client.get(reverse("tiers_payant:pdf", args=[convention.pk])).status_code == 200

    assert _entree(object_type="assmats.assistantmaternel", object_id=str(assmat.pk)).action == "read"
    lectures = AuditLog.objects.filter(object_type="tiers_payant.convention", object_id=str(convention.pk))
    assert sorted(lectures.values_list("path", flat=True)) == sorted(
        [reverse("tiers_payant:convention", args=[convention.pk]), reverse("tiers_payant:pdf", args=[convention.pk])]
    )


def test_un_export_csv_est_journalise(client):
    agent = AgentCafFactory().user
    client.force_login(agent)

    response = client.get(reverse("demandes:besoins_non_satisfaits_csv"))

    assert response.status_code == 200
    entree = _entree(action="export")
    assert entree.object_type == "demandes.besoins_non_satisfaits"
    assert entree.email == agent.email


def test_connexion_et_deconnexion_sont_journalisees(client):
    user = UserFactory()

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_logout"))

    assert list(AuditLog.objects.filter(user=user).order_by("pk").values_list("action", flat=True)) == [
        "login",
        "logout",
    ]


def test_la_base_refuse_de_modifier_ou_d_effacer_le_journal():
    entree = AuditLog.objects.create(action="read", email="a@example.fr", description="original")

    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic():
        AuditLog.objects.filter(pk=entree.pk).update(description="falsifié")
    entree.description = "falsifié"
    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic():
        entree.save()
    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic():
        AuditLog.objects.filter(pk=entree.pk).delete()

    entree.refresh_from_db()
    assert entree.description == "original"


def test_la_base_refuse_de_vider_le_journal_d_un_coup():
    AuditLog.objects.create(action="read", email="a@example.fr")

    # The test settings open sessions allowed to empty the trail (Django's flush); a production session is not.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL guichet.vider_journal = ''")
        with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic():
            cursor.execute("TRUNCATE audit_auditlog")

    assert AuditLog.objects.filter(email="a@example.fr").count() == 1


def test_supprimer_un_compte_garde_sa_trace():
    user = UserFactory()
    pk = user.pk
    AuditLog.objects.create(user=user, email=user.email, action="login")

    user.delete()

    assert AuditLog.objects.get(email=user.email).user_id == pk


def test_le_journal_n_est_pas_modifiable_depuis_l_administration(client):
    modele = AuditLogAdmin(AuditLog, admin.site)
    entree = AuditLog.objects.create(action="read", email="a@example.fr")
    client.force_login(UserFactory(admin=True))
    requete = client.get(reverse("admin:audit_auditlog_changelist")).wsgi_request

    assert not modele.has_add_permission(requete)
    assert not modele.has_change_permission(requete, entree)
    assert not modele.has_delete_permission(requete, entree)
    assert client.get(reverse("admin:audit_auditlog_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditlog_change", args=[entree.pk])).status_code == 200  # view only


def test_un_admin_cherche_dans_le_journal_par_adresse_type_et_dates(client):
    maintenant = timezone.now()
    AuditLog.objects.create(action="read", email="camille@rpe.fr", object_type="demandes.demande", object_id="1")
    AuditLog.objects.create(action="read", email="camille@rpe.fr", object_type="assmats.assistantmaternel")
    AuditLog.objects.create(action="read", email="paul@rpe.fr", object_type="demandes.demande", object_id="2")
    AuditLog.objects.create(
        action="read",
        email="camille@rpe.fr",
        object_type="demandes.demande",
        object_id="3",
        created_at=maintenant - timedelta(days=40),
    )
    client.force_login(UserFactory(admin=True))

    response = client.get(
        reverse("audit:journal"),
        {
            "email": "camille",
            "object_type": "demandes.demande",
            # The filter's dates are Paris dates: late in the UTC evening, Paris is already tomorrow.
            "du": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "au": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 200
    assert [e.object_id for e in response.context["page"]] == ["1"]


def test_le_journal_est_du_plus_recent_au_plus_ancien_et_pagine(client):
    agent = AgentCafFactory()
    debut = timezone.now() - timedelta(hours=2)
    for minute in range(55):
        AuditLog.objects.create(
            action="read",
            email="x@rpe.fr",
            departement=agent.departement,
            created_at=debut + timedelta(minutes=minute),
        )
    client.force_login(agent.user)

    page = client.get(reverse("audit:journal")).context["page"]

    assert len(page) == 50
    assert page.paginator.num_pages == 2
    dates = [e.created_at for e in page]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("role", ["animateur", "assmat", "parent"])
def test_le_journal_est_reserve_aux_admins_et_agents_caf(client, role):
    client.force_login(UserFactory(**({role: True} if role != "parent" else {})))

    assert client.get(reverse("audit:journal")).status_code == 403
