"""Every CSV the portal hands to staff, with a formula typed in each of its free-text columns: the file
opens as text, never as a live formula (CSV injection, OWASP)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLog
from indicateurs import services as indicateurs
from tests.assmats.factories import AssistantMaternelFactory
from tests.demandes.factories import DemandeFactory
from tests.factories import AgentCafFactory, CommuneFactory, MembreRelaisFactory, RelaisFactory, UserFactory
from tests.fichiers.conftest import verifier_sans_formule
from tests.formation.factories import SouhaitFactory, ThemeFactory
from tests.tiers_payant.factories import ConventionFactory, releve

pytestmark = pytest.mark.django_db


def test_les_paiements_cmg_n_ouvrent_aucune_formule_des_noms_saisis(client, formule):
    parent = UserFactory(first_name=formule, last_name=formule)
    convention = ConventionFactory(
        active=True, parent=parent, enfant_prenom=formule, relais__nom=formule, date_debut=date(2026, 1, 1)
    )
    convention.assistant_maternel.nom = convention.assistant_maternel.prenom = formule
    convention.assistant_maternel.save()
    confirme = releve(convention, mois=date(2026, 2, 1))
    confirme.confirme_par, confirme.confirme_le = parent, confirme.saisi_le
    confirme.save()
    client.force_login(AgentCafFactory(departement=convention.relais.departement).user)

    response = client.get(reverse("tiers_payant:export_paiements"), {"mois": "2026-02"})

    verifier_sans_formule(response, formule, f"{formule} {formule}")


def test_les_indicateurs_n_ouvrent_aucune_formule_du_nom_du_relais(client, formule):
    relais = RelaisFactory(nom=formule)
    indicateurs.enregistrer_indicateurs(relais_id=relais.pk, annee=timezone.localdate().year)
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    response = client.get(reverse("indicateurs:tableau_csv"))

    verifier_sans_formule(response, formule)


def test_les_besoins_non_satisfaits_n_ouvrent_aucune_formule_du_nom_de_commune(client, formule):
    commune = CommuneFactory(nom=formule)
    relais = RelaisFactory(commune_siege=commune, communes=[commune])
    debut = timezone.localdate() + timedelta(days=30)
    DemandeFactory(
        relais=relais,
        commune=commune,
        sans_solution=True,
        enfant_date=debut - timedelta(days=300),
        date_debut_souhaitee=debut,
    )
    client.force_login(MembreRelaisFactory(relais=relais).user)

    response = client.get(reverse("demandes:besoins_non_satisfaits_csv"))

    verifier_sans_formule(response, formule)


def test_les_besoins_de_formation_n_ouvrent_aucune_formule_du_theme_ni_de_la_commune(client, formule):
    commune = CommuneFactory(nom=formule)
    relais = RelaisFactory(commune_siege=commune, communes=[commune])
    SouhaitFactory(assistant_maternel=AssistantMaternelFactory(commune=commune), theme=ThemeFactory(libelle=formule))
    client.force_login(MembreRelaisFactory(relais=relais).user)

    response = client.get(reverse("formation:besoins_csv"), {"relais": relais.pk})

    verifier_sans_formule(response, formule)


def test_le_journal_des_acces_n_ouvre_aucune_formule_du_navigateur_ni_du_chemin(client, formule):
    AuditLog.objects.create(action="read", object_type="x", description=formule, path=formule, user_agent=formule)
    client.force_login(UserFactory(admin=True))

    response = client.get(reverse("audit:journal_csv"))

    verifier_sans_formule(response, formule)


def test_le_registre_des_traitements_n_ouvre_aucune_formule(client):
    client.force_login(UserFactory(admin=True))

    response = client.get(reverse("rgpd:registre_csv"))

    # The register is our own text: no cell to plant, but none may start as a formula either.
    verifier_sans_formule(response)
    assert response.status_code == 200
