"""Demo data of continuing training: every state shown, and the same rows on a second run."""

import pytest

from formation.models import DemandeAccueilAlternatif, HistoriqueInscription, Inscription, SessionFormation
from portail.demo.formation import seed_formation
from portail.demo.offre import seed_offre
from portail.demo.socle import seed_socle

pytestmark = pytest.mark.django_db


def _etat():
    return {
        "sessions": sorted(SessionFormation.objects.values_list("relais__nom", "intitule", "date_debut", "capacite")),
        "inscriptions": sorted(
            Inscription.objects.values_list(
                "session__intitule", "session__relais__nom", "assistant_maternel__email", "statut", "grace_au_relais"
            )
        ),
        "historique": HistoriqueInscription.objects.count(),
        "demandes": sorted(
            DemandeAccueilAlternatif.objects.values_list("relais__nom", "prenom_enfant", "canal", "statut")
        ),
    }


def test_la_demo_de_formation_montre_chaque_etat_et_ne_change_pas_au_second_passage():
    seed_socle()
    seed_offre()
    seed_formation()
    premier = _etat()

    seed_formation()

    assert _etat() == premier
    statuts = {statut for *_, statut, _grace in premier["inscriptions"]}
    assert statuts == {"inscrite", "partie", "suivie", "annulee"}
    parties = [grace for *_, statut, grace in premier["inscriptions"] if statut != "inscrite"]
    # Some departures thanks to the relais, some not (an enrolment cancelled before leaving is never flagged).
    assert set(parties) == {True, False}
    canaux_statuts = {(canal, statut) for _, _, canal, statut in premier["demandes"]}
    assert ("en_ligne", "proposee") in canaux_statuts
    assert ("telephone", "nouvelle") in canaux_statuts
