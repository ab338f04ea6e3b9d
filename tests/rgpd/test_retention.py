"""The retention job: what is due is anonymised, nothing else, and only once."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from assmats.models import AssistantMaternel
from audit.models import AuditLog
from courriels.models import Email
from demandes.models import Demande
from formation.models import DemandeAccueilAlternatif
from rgpd import services, tasks
from tests.assmats.factories import AccueilFactory, AgrementFactory
from tests.demandes.factories import DemandeFactory
from tests.factories import MembreRelaisFactory
from tests.formation.factories import DemandeAlternativeFactory, EnfantConcerneFactory, InscriptionFactory
from tests.tiers_payant.factories import ConventionFactory
from tiers_payant.models import DocumentConvention
from tiers_payant.models import Statut as StatutConvention

pytestmark = pytest.mark.django_db

MAINTENANT = datetime(2026, 6, 15, 3, 45, tzinfo=ZoneInfo("Europe/Paris"))
AUJOURD_HUI = MAINTENANT.date()


def _demande_close(il_y_a: relativedelta, **kwargs) -> Demande:
    kwargs.setdefault("sans_solution", True)
    return DemandeFactory(statut_modifie_at=MAINTENANT - il_y_a, enfant_prenom="Léonie", **kwargs)


def _assmat_agrement_fini(il_y_a: relativedelta) -> AssistantMaternel:
    fin = AUJOURD_HUI - il_y_a
    agrement = AgrementFactory(date_delivrance=fin - relativedelta(years=5), date_fin_validite=fin)
    return agrement.assistant_maternel


def _convention_terminee(il_y_a: relativedelta, **kwargs):
    kwargs.setdefault("statut", StatutConvention.TERMINEE)
    convention = ConventionFactory(
        date_fin_effective=AUJOURD_HUI - il_y_a, signee_le=MAINTENANT - relativedelta(years=8), **kwargs
    )
    DocumentConvention.objects.create(
        convention=convention, nature="signe", contenu=b"%PDF-1.7", sha256="b" * 64, taille=8
    )
    return convention


@pytest.fixture
def donnees():
    """One record of each kind just past its retention period, and one just before it."""
    return {
        "demande_due": _demande_close(relativedelta(months=36, days=1)),
        "demande_retiree_due": _demande_close(relativedelta(months=40), retiree=True, sans_solution=False),
        "demande_recente": _demande_close(relativedelta(months=35)),
        "demande_ouverte_ancienne": DemandeFactory(
            prise_en_charge=True, statut_modifie_at=MAINTENANT - relativedelta(years=4), enfant_prenom="Léonie"
        ),
        "assmat_due": _assmat_agrement_fini(relativedelta(months=36, days=1)),
        "assmat_recente": _assmat_agrement_fini(relativedelta(months=35)),
        "convention_due": _convention_terminee(relativedelta(years=5, days=1)),
        "convention_resiliee_due": _convention_terminee(
            relativedelta(years=6), statut=StatutConvention.RESILIEE, motif_fin="Déménagement de la famille."
        ),
        "convention_recente": _convention_terminee(relativedelta(years=4)),
    }


def test_la_simulation_ne_change_rien_et_compte_ce_qui_est_du(donnees):
    rapport = services.appliquer_retention(maintenant=MAINTENANT, dry_run=True)

    assert not rapport.applique
    assert rapport.demandes == sorted([donnees["demande_due"].pk, donnees["demande_retiree_due"].pk])
    assert rapport.assistants_maternels == [donnees["assmat_due"].pk]
    assert rapport.conventions == sorted([donnees["convention_due"].pk, donnees["convention_resiliee_due"].pk])
    assert not Demande.objects.filter(anonymise_le__isnull=False).exists()
    assert not AssistantMaternel.objects.filter(anonymise_le__isnull=False).exists()
    assert DocumentConvention.objects.count() == 3


def test_l_application_anonymise_exactement_ce_qui_est_du(donnees):
    rapport = services.appliquer_retention(maintenant=MAINTENANT, dry_run=False)

    assert rapport.applique
    assert rapport.total == 5
    anonymisees = set(Demande.objects.filter(anonymise_le=MAINTENANT).values_list("pk", flat=True))
    assert anonymisees == {donnees["demande_due"].pk, donnees["demande_retiree_due"].pk}
    assert Demande.objects.get(pk=donnees["demande_due"].pk).enfant_prenom == "[anonymisé]"
    assert Demande.objects.get(pk=donnees["demande_recente"].pk).enfant_prenom == "Léonie"
    assert Demande.objects.get(pk=donnees["demande_ouverte_ancienne"].pk).enfant_prenom == "Léonie"


def test_une_assistante_maternelle_dont_l_agrement_a_pris_fin_est_anonymisee(donnees):
    due, recente = donnees["assmat_due"], donnees["assmat_recente"]
    AccueilFactory(assistant_maternel=due, prenom_enfant="Hugo")

    services.appliquer_retention(maintenant=MAINTENANT, dry_run=False)

    due.refresh_from_db()
    recente.refresh_from_db()
    assert due.anonymise_le == MAINTENANT
    assert (due.nom, due.email) == ("[anonymisé]", "")
    assert due.accueils.get().prenom_enfant == "[anonymisé]"
    assert recente.anonymise_le is None
    assert recente.email != ""


def test_les_emails_envoyes_a_une_assistante_maternelle_anonymisee_sont_effaces(donnees):
    due, recente = donnees["assmat_due"], donnees["assmat_recente"]
    for assmat in (due, recente):
        Email.objects.create(destinataire=assmat.email, sujet="Une famille", corps="Famille Dubois")

    services.appliquer_retention(maintenant=MAINTENANT, dry_run=False)

    assert list(Email.objects.values_list("destinataire", flat=True)) == [recente.email]


def test_les_demandes_d_accueil_alternatif_liees_a_ses_formations_sont_anonymisees_avec_elle(donnees):
    assmat = donnees["assmat_due"]
    inscription = InscriptionFactory(assistant_maternel=assmat)
    alternative = DemandeAlternativeFactory(
        enfant_concerne=EnfantConcerneFactory(inscription=inscription), nom_parent="Marc Dupuis"
    )

    services.appliquer_retention(maintenant=MAINTENANT, dry_run=False)

    alternative.refresh_from_db()
    assert alternative.nom_parent == "[anonymisé]"
    assert alternative.enfant_concerne.email_parent == ""
    assert DemandeAccueilAlternatif.objects.filter(anonymise_le=MAINTENANT).count() == 1


def test_une_convention_terminee_depuis_la_duree_legale_est_anonymisee(donnees):
    services.appliquer_retention(maintenant=MAINTENANT, dry_run=False)

    due, resiliee, recente = (
        donnees[cle] for cle in ("convention_due", "convention_resiliee_due", "convention_recente")
    )
    for convention in (due, resiliee, recente):
        convention.refresh_from_db()
    assert due.enfant_prenom == "[anonymisé]"
    assert due.enfant_naissance.day == 1
    assert not due.documents.exists()
    assert due.calcul_cmg == {}
    assert resiliee.motif_fin == "[anonymisé]"
    assert recente.enfant_prenom == "Lina"
    assert recente.documents.count() == 1
    # What the CAF paid and when stays.
    assert (due.statut, due.cmg_estime) == (StatutConvention.TERMINEE, recente.cmg_estime)


def test_l_application_laisse_une_trace_au_journal_et_la_simulation_non(donnees):
    services.appliquer_retention(maintenant=MAINTENANT, dry_run=True)
    assert not AuditLog.objects.filter(object_type="rgpd.retention").exists()

    services.appliquer_retention(maintenant=MAINTENANT, dry_run=False)

    entree = AuditLog.objects.get(object_type="rgpd.retention")
    assert entree.user is None
    assert "2 demande(s), 1 assistant(s) maternel(s), 2 convention(s)" in entree.description


def test_une_seconde_passe_ne_fait_rien(donnees):
    services.appliquer_retention(maintenant=MAINTENANT, dry_run=False)

    seconde = services.appliquer_retention(maintenant=MAINTENANT + relativedelta(days=1), dry_run=False)

    assert seconde.total == 0
    assert Demande.objects.filter(anonymise_le=MAINTENANT).count() == 2


def test_les_durees_viennent_des_reglages(donnees, settings):
    settings.RGPD_CONSERVATION = settings.RGPD_CONSERVATION | {"demande_close_mois": 34}

    rapport = services.appliquer_retention(maintenant=MAINTENANT, dry_run=True)

    assert donnees["demande_recente"].pk in rapport.demandes


def test_la_commande_simule_par_defaut_et_liste_les_comptes(donnees, time_machine):
    time_machine.move_to(MAINTENANT, tick=False)
    sortie = StringIO()

    call_command("retention_donnees", stdout=sortie)

    texte = sortie.getvalue()
    assert "demandes d'accueil closes ou retirées à anonymiser : 2" in texte
    assert "assistants maternels dont l'agrément a pris fin à anonymiser : 1" in texte
    assert "conventions de tiers payant terminées à anonymiser : 2" in texte
    assert f"id {donnees['assmat_due'].pk}" in texte
    assert "Simulation : rien n'a été modifié" in texte
    assert not Demande.objects.filter(anonymise_le__isnull=False).exists()


def test_la_commande_applique_avec_appliquer(donnees, time_machine):
    time_machine.move_to(MAINTENANT, tick=False)
    sortie = StringIO()

    call_command("retention_donnees", "--appliquer", stdout=sortie)

    assert "demandes d'accueil closes ou retirées anonymisé(e)s : 2" in sortie.getvalue()
    assert Demande.objects.filter(anonymise_le=MAINTENANT).count() == 2


def test_la_tache_applique_et_rend_les_comptes(donnees, time_machine):
    time_machine.move_to(MAINTENANT, tick=False)

    assert tasks.appliquer_retention() == {"demandes": 2, "assistants_maternels": 1, "conventions": 2}
    assert tasks.appliquer_retention() == {"demandes": 0, "assistants_maternels": 0, "conventions": 0}


def test_la_tache_est_planifiee_chaque_nuit():
    entree = settings.CELERY_BEAT_SCHEDULE["rgpd-retention-donnees"]

    assert entree["task"] == "rgpd.tasks.appliquer_retention"
    assert entree["task"] == tasks.appliquer_retention.name


def test_une_demande_anonymisee_s_affiche_encore_pour_le_relais(client, donnees):
    demande = donnees["demande_due"]
    services.appliquer_retention(maintenant=MAINTENANT, dry_run=False)
    client.force_login(demande.prise_par)

    page = client.get(reverse("demandes:detail", args=[demande.pk]))

    assert page.status_code == 200
    assert "[anonymisé]" in page.content.decode()
    assert "Léonie" not in page.content.decode()


def test_une_convention_anonymisee_s_affiche_et_son_pdf_se_refait_sans_les_noms(client, donnees):
    convention = donnees["convention_due"]
    services.appliquer_retention(maintenant=MAINTENANT, dry_run=False)
    client.force_login(MembreRelaisFactory(relais=convention.relais).user)

    page = client.get(reverse("tiers_payant:convention", args=[convention.pk]))
    pdf = client.get(reverse("tiers_payant:pdf", args=[convention.pk]))

    assert page.status_code == 200
    assert "Lina" not in page.content.decode()
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
