"""Every change of a childminder's consent to display her availability, and every declaration or
confirmation, is dated in the display history, in the same transaction (mission 2 (b) at a past date)."""

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from assmats import services
from assmats.anonymisation import anonymiser_assistant_maternel
from assmats.import_agrements import importer
from assmats.models import AssistantMaternel, Disponibilite, HistoriqueAffichage
from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory, DisponibiliteFactory
from tests.factories import CommuneFactory, RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


def _evenements(assmat) -> list[tuple[bool, bool]]:
    """(consent after the event, is a confirmation), oldest first."""
    return list(
        HistoriqueAffichage.objects.filter(assistant_maternel=assmat)
        .order_by("le", "pk")
        .values_list("affiche", "confirmation")
    )


def _dernier(assmat) -> HistoriqueAffichage:
    return HistoriqueAffichage.objects.filter(assistant_maternel=assmat).order_by("-le", "-pk").first()


def _assmat_agreee(**kwargs):
    assmat = AssistantMaternelFactory(**kwargs)
    AgrementFactory(assistant_maternel=assmat, capacite_totale=4, capacite_moins_3_ans=3)
    return assmat


def _profil(assmat, **changements) -> dict:
    donnees = {"prenom": assmat.prenom, "nom": assmat.nom, "telephone": assmat.telephone, "commune": assmat.commune_id}
    return {**donnees, **changements}


def test_declarer_ses_disponibilites_date_une_confirmation_avec_son_consentement():
    assmat = _assmat_agreee(affichee=True)

    disponibilite = services.declarer_disponibilites(
        disponibilite=Disponibilite(
            assistant_maternel=assmat, a_partir_du=timezone.localdate(), jours=[0, 1], places_moins_3_ans=1
        )
    )

    dernier = _dernier(assmat)
    assert (dernier.le, dernier.affiche, dernier.confirmation) == (disponibilite.confirmee_le, True, True)


def test_une_declaration_sans_consentement_est_datee_sans_affichage():
    assmat = _assmat_agreee()

    services.declarer_disponibilites(
        disponibilite=Disponibilite(assistant_maternel=assmat, a_partir_du=timezone.localdate(), jours=[0])
    )

    assert _evenements(assmat)[-1] == (False, True)


def test_confirmer_ses_disponibilites_ajoute_une_confirmation_datee():
    assmat = _assmat_agreee(affichee=True)
    DisponibiliteFactory(assistant_maternel=assmat, confirmee_le=timezone.now() - timedelta(days=100))
    avant = len(_evenements(assmat))

    disponibilite = services.confirmer_disponibilites(assmat=assmat)

    assert len(_evenements(assmat)) == avant + 1
    dernier = _dernier(assmat)
    assert (dernier.le, dernier.affiche, dernier.confirmation) == (disponibilite.confirmee_le, True, True)


def test_une_confirmation_refusee_n_ecrit_rien():
    assmat = _assmat_agreee(affichee=True)
    avant = _evenements(assmat)

    with pytest.raises(services.ActionRefusee):
        services.confirmer_disponibilites(assmat=assmat)

    assert _evenements(assmat) == avant


def test_la_creation_du_profil_date_son_consentement(client):
    relais = RelaisFactory()
    user = UserFactory(assmat=True, first_name="Sylvie", last_name="Martin")
    client.force_login(user)

    client.post(
        reverse("assmats:profil"),
        {"prenom": "Sylvie", "nom": "Martin", "commune": relais.commune_siege.pk, "afficher_disponibilites": "on"},
    )

    assert _evenements(AssistantMaternel.objects.get(user=user)) == [(True, False)]


def test_donner_puis_retirer_son_consentement_dans_le_profil_est_date(client):
    assmat = _assmat_agreee(commune=RelaisFactory().commune_siege)
    client.force_login(assmat.user)

    client.post(reverse("assmats:profil"), _profil(assmat, afficher_disponibilites="on"))
    client.post(reverse("assmats:profil"), _profil(assmat))

    assert _evenements(assmat) == [(False, False), (True, False), (False, False)]
    assmat.refresh_from_db()
    assert not assmat.afficher_disponibilites


def test_un_profil_enregistre_sans_changer_le_consentement_n_ajoute_rien(client):
    assmat = _assmat_agreee(commune=RelaisFactory().commune_siege, affichee=True)
    client.force_login(assmat.user)

    client.post(reverse("assmats:profil"), _profil(assmat, afficher_disponibilites="on", langues="français"))

    assmat.refresh_from_db()
    assert assmat.langues == "français"
    assert _evenements(assmat) == [(True, False)]


def test_la_suppression_du_compte_retire_le_consentement_a_sa_date():
    assmat = _assmat_agreee(affichee=True)
    DisponibiliteFactory(assistant_maternel=assmat)
    maintenant = timezone.now()

    anonymiser_assistant_maternel(assistant_maternel_id=assmat.pk, maintenant=maintenant, retrait=True)

    dernier = _dernier(assmat)
    assert (dernier.le, dernier.affiche, dernier.confirmation) == (maintenant, False, False)
    # The history holds no personal data: it outlives the declaration, for the figures of earlier dates.
    assert _evenements(assmat) == [(True, False), (True, True), (False, False)]


def test_la_retention_ne_touche_pas_au_consentement_ni_a_son_historique():
    assmat = _assmat_agreee(affichee=True)
    avant = _evenements(assmat)

    anonymiser_assistant_maternel(assistant_maternel_id=assmat.pk, maintenant=timezone.now(), retrait=False)

    assert _evenements(assmat) == avant


def test_l_import_pmi_commence_l_historique_des_fiches_creees_seulement():
    montpellier = CommuneFactory(code_insee="34172")
    entete = (
        "numero_agrement,nom,prenom,email,telephone,adresse,code_insee,date_delivrance,date_fin_validite,"
        "capacite_totale,capacite_moins_3_ans\n"
    )
    existante = _assmat_agreee(commune=montpellier, affichee=True)
    lignes = f"{existante.agrement.numero},Durand,Sylvie,,,,34172,2022-09-01,2027-08-31,4,3\n"
    lignes += "AGR-NOUVEAU,Martin,Lina,,,,34172,2022-09-01,2027-08-31,4,3\n"

    rapport = importer(entete + lignes, appliquer=True)

    assert (rapport.crees, rapport.mis_a_jour) == (1, 1)
    assert _evenements(AssistantMaternel.objects.get(agrement__numero="AGR-NOUVEAU")) == [(False, False)]
    assert _evenements(existante) == [(True, False)]


def test_la_base_refuse_de_modifier_l_historique():
    evenement = _dernier(AssistantMaternelFactory(affichee=True))

    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic():
        HistoriqueAffichage.objects.filter(pk=evenement.pk).update(affiche=False)


def test_la_migration_reprend_l_etat_actuel_de_chaque_fiche():
    """Backfill: consent dated at the latest confirmation (a confirmation event), at the file's creation
    without a declaration; so the indicator's figures are those it gave from the current rows."""
    confirmee_le = datetime(2025, 11, 15, 9, tzinfo=UTC)
    affichee = AssistantMaternelFactory(affichee=True)
    DisponibiliteFactory(assistant_maternel=affichee, confirmee_le=confirmee_le)
    discrete = AssistantMaternelFactory()
    HistoriqueAffichage.objects.all().delete()
    migration = importlib.import_module("assmats.migrations.0004_historique_affichage")

    migration.etat_actuel(apps, type("Editeur", (), {"connection": connection})())

    lignes = HistoriqueAffichage.objects.order_by("assistant_maternel_id").values_list(
        "assistant_maternel_id", "le", "affiche", "confirmation"
    )
    assert list(lignes) == [
        (affichee.pk, confirmee_le, True, True),
        (discrete.pk, discrete.created_at, False, False),
    ]


def test_l_admin_montre_l_historique_sans_pouvoir_cocher_le_consentement_a_sa_place(admin_client):
    assmat = AssistantMaternelFactory(affichee=True)
    DisponibiliteFactory(assistant_maternel=assmat)

    page = admin_client.get(reverse("admin:assmats_assistantmaternel_change", args=[assmat.pk])).content.decode()

    assert "historique de l&#x27;affichage des disponibilités" in page.lower()
    assert 'name="afficher_disponibilites"' not in page
    assert 'name="historique_affichage-0-affiche"' not in page
