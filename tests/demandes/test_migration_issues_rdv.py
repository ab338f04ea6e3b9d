"""Migration `demandes` 0010 gives the appointments recorded before it the outcome their request's history tells.

Before 0010 moving an appointment created a new one and « rendez-vous réalisé » was a status of the request only:
the rows are written as they were then (historical models at 0009), then migrated forward.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.demandes.factories import DemandeFactory
from tests.factories import UserFactory

AVANT = [("demandes", "0009_source_et_saisie_par_le_relais")]
APRES = [("demandes", "0010_issues_des_rendez_vous_et_origine_de_la_solution")]


@pytest.mark.django_db(transaction=True)
def test_each_old_appointment_gets_the_outcome_its_request_s_history_tells():
    animatrice = UserFactory(animateur=True)
    attente = DemandeFactory(rdv_propose=True)
    tenu = DemandeFactory(rdv_realise=True)
    tenu_note_trop_tot = DemandeFactory(solution_trouvee=True)
    close = DemandeFactory(sans_solution=True)
    il_y_a = timezone.now() - timedelta(days=20)

    executor = MigrationExecutor(connection)
    executor.migrate(AVANT)
    try:
        anciens = executor.loader.project_state(AVANT).apps
        RendezVous = anciens.get_model("demandes", "RendezVous")
        HistoriqueDemande = anciens.get_model("demandes", "HistoriqueDemande")
        Demande = anciens.get_model("demandes", "Demande")

        def rdv(demande, *, pris_le, debut):
            return RendezVous.objects.create(
                demande_id=demande.pk, debut=debut, modalite="telephone", auteur_id=animatrice.pk, created_at=pris_le
            ).pk

        # Moved once: the first one replaced, the second still awaited.
        deplace = rdv(attente, pris_le=il_y_a, debut=il_y_a + timedelta(days=30))
        attendu = rdv(attente, pris_le=il_y_a + timedelta(days=2), debut=il_y_a + timedelta(days=31))
        # Held: the history reached « rendez-vous réalisé » after it.
        realise = rdv(tenu, pris_le=il_y_a, debut=il_y_a + timedelta(days=3))
        HistoriqueDemande.objects.create(demande_id=tenu.pk, vers="rdv_realise", created_at=il_y_a + timedelta(days=4))
        # Noted held an hour before its start (the old status allowed it): dated at its start, never before.
        debut_tot = il_y_a + timedelta(days=5)
        realise_tot = rdv(tenu_note_trop_tot, pris_le=il_y_a, debut=debut_tot)
        HistoriqueDemande.objects.create(
            demande_id=tenu_note_trop_tot.pk, vers="rdv_realise", created_at=debut_tot - timedelta(hours=1)
        )
        HistoriqueDemande.objects.create(
            demande_id=tenu_note_trop_tot.pk, vers="solution_trouvee", created_at=debut_tot + timedelta(days=1)
        )
        # Closed without the appointment ever being noted.
        ferme_le = il_y_a + timedelta(days=6)
        sans_suite = rdv(close, pris_le=il_y_a, debut=il_y_a + timedelta(days=8))
        Demande.objects.filter(pk=close.pk).update(statut_modifie_at=ferme_le)

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(APRES)
        apres = executor.loader.project_state(APRES).apps.get_model("demandes", "RendezVous")
        issues = {r.pk: (r.statut, r.issue_le, r.motif_annulation) for r in apres.objects.all()}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert issues == {
        deplace: ("annule", il_y_a + timedelta(days=2), "Remplacé par un nouveau rendez-vous."),
        attendu: ("prevu", None, ""),
        realise: ("realise", il_y_a + timedelta(days=4), ""),
        realise_tot: ("realise", debut_tot, ""),
        sans_suite: ("annule", ferme_le, "Demande close avant le rendez-vous."),
    }
