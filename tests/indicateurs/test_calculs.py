"""One hand-computed scenario per indicator: the expected numbers come from the definitions, by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from indicateurs import calculs
from tests.assmats.factories import (
    AgrementFactory,
    AssistantMaternelFactory,
    DisponibiliteFactory,
    EntretienFactory,
    SignalementFactory,
)
from tests.demandes.factories import DemandeFactory
from tests.factories import CommuneFactory, RelaisFactory
from tests.formation.factories import DemandeAlternativeFactory, InscriptionFactory, PropositionFactory, SessionFactory
from tests.indicateurs.scenario import OUVERT_AVANT, N, action, dt, rendez_vous

pytestmark = pytest.mark.django_db


def _calcul(fonction, relais):
    return fonction([relais.pk], N)[relais.pk]


# --- Mission 1 ------------------------------------------------------------------------------------------------


def test_mission_1_progression_de_20_pourcent_sur_les_demandes_traitees():
    relais = RelaisFactory(date_ouverture_guichet=OUVERT_AVANT)
    # N-1: three requests processed (status change, appointment, and one whose later actions stay in N-1).
    a = DemandeFactory(relais=relais, date_depot=dt(2024, 2, 1))
    action(a, "rdv_propose", dt(2024, 3, 1))
    b = DemandeFactory(relais=relais, date_depot=dt(2024, 5, 1))
    rendez_vous(b, dt(2024, 6, 1))
    h = DemandeFactory(relais=relais, date_depot=dt(2024, 11, 1))
    action(h, "rdv_propose", dt(2024, 11, 5))
    action(h, "propositions_faites", dt(2025, 1, 10))
    # N: four requests processed, one of them submitted in N-1, one closed « sans solution » directly.
    c = DemandeFactory(relais=relais, date_depot=dt(2025, 1, 20))
    action(c, "rdv_propose", dt(2025, 2, 1))
    d = DemandeFactory(relais=relais, date_depot=dt(2025, 4, 1))
    action(d, "sans_solution", dt(2025, 5, 1))
    e = DemandeFactory(relais=relais, date_depot=dt(2024, 12, 20))
    action(e, "prise_en_charge", dt(2024, 12, 21), de="nouvelle")
    action(e, "rdv_propose", dt(2025, 1, 5))
    i = DemandeFactory(relais=relais, date_depot=dt(2025, 6, 1))
    rendez_vous(i, dt(2025, 7, 1))
    # Not processed: withdrawn before any action; only taken in charge.
    f = DemandeFactory(relais=relais, date_depot=dt(2025, 3, 1))
    action(f, "retiree", dt(2025, 3, 2), de="nouvelle")
    g = DemandeFactory(relais=relais, date_depot=dt(2025, 3, 1))
    action(g, "prise_en_charge", dt(2025, 3, 2), de="nouvelle")

    resultat = _calcul(calculs.mission_1_demandes_en_ligne, relais)

    assert resultat.ids_numerateur == sorted([c.pk, d.pk, e.pk, i.pk])
    assert resultat.ids_denominateur == sorted([a.pk, b.pk, h.pk])
    # 4 ≥ 1.20 × 3 = 3.6
    assert resultat.atteint is True
    assert resultat.valeur == Decimal("1.3333")
    assert resultat.detail["par_mois"] == [1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]
    assert resultat.detail["par_mois_precedent"] == [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0]


def test_mission_1_non_atteinte_sous_20_pourcent():
    relais = RelaisFactory(date_ouverture_guichet=OUVERT_AVANT)
    for mois in (1, 2, 3, 4, 5):
        action(DemandeFactory(relais=relais, date_depot=dt(2024, mois, 1)), "rdv_propose", dt(2024, mois, 2))
    for mois in (1, 2, 3, 4, 5):
        action(DemandeFactory(relais=relais, date_depot=dt(2025, mois, 1)), "rdv_propose", dt(2025, mois, 2))

    resultat = _calcul(calculs.mission_1_demandes_en_ligne, relais)

    # 5 < 1.20 × 5 = 6
    assert (resultat.numerateur, resultat.denominateur, resultat.atteint) == (5, 5, False)


def test_mission_1_zero_en_n_moins_1_est_indefini():
    relais = RelaisFactory(date_ouverture_guichet=OUVERT_AVANT)
    action(DemandeFactory(relais=relais, date_depot=dt(2025, 1, 1)), "rdv_propose", dt(2025, 1, 2))

    resultat = _calcul(calculs.mission_1_demandes_en_ligne, relais)

    assert (resultat.numerateur, resultat.denominateur) == (1, 0)
    assert resultat.valeur is None
    assert resultat.atteint is None


def test_mission_1_ouverture_du_service_dans_l_annee_suffit():
    assert _calcul(calculs.mission_1_demandes_en_ligne, RelaisFactory(date_ouverture_guichet=date(2025, 3, 1))).atteint


def test_mission_1_service_non_ouvert_n_est_pas_atteinte():
    relais = RelaisFactory(date_ouverture_guichet=None)
    action(DemandeFactory(relais=relais, date_depot=dt(2024, 1, 1)), "rdv_propose", dt(2024, 1, 2))
    action(DemandeFactory(relais=relais, date_depot=dt(2025, 1, 1)), "rdv_propose", dt(2025, 1, 2))
    action(DemandeFactory(relais=relais, date_depot=dt(2025, 1, 1)), "rdv_propose", dt(2025, 1, 2))

    assert _calcul(calculs.mission_1_demandes_en_ligne, relais).atteint is False


# --- Mission 2 ------------------------------------------------------------------------------------------------


def _signalement(assmat, le, *, entretien_le=None):
    signalement = SignalementFactory(assistant_maternel=assmat)
    type(signalement).objects.filter(pk=signalement.pk).update(signale_le=le)
    if entretien_le:
        entretien = EntretienFactory(signalement=signalement)
        type(entretien).objects.filter(pk=entretien.pk).update(propose_le=entretien_le)
        # As `assmats.services` does: the interview offered, the report is dealt with and another may follow.
        type(signalement).objects.filter(pk=signalement.pk).update(traite_le=entretien_le)
    return signalement


def test_mission_2a_une_assmat_qui_signale_deux_fois_compte_une_fois():
    relais = RelaisFactory()
    commune = relais.commune_siege
    am1, am2, am3 = (AssistantMaternelFactory(commune=commune) for _ in range(3))
    ailleurs = AssistantMaternelFactory(commune=RelaisFactory().commune_siege)
    _signalement(am1, dt(2025, 2, 1), entretien_le=dt(2025, 2, 10))
    _signalement(am1, dt(2025, 9, 1))  # second report, no interview: she still counts once, as offered
    _signalement(am2, dt(2025, 3, 1))  # reported, never offered an interview
    _signalement(am3, dt(2024, 3, 1), entretien_le=dt(2024, 3, 5))  # previous year
    _signalement(ailleurs, dt(2025, 3, 1), entretien_le=dt(2025, 3, 5))  # another territory

    resultat = _calcul(calculs.mission_2a_entretiens, relais)

    assert resultat.ids_denominateur == sorted([am1.pk, am2.pk])
    assert resultat.ids_numerateur == [am1.pk]
    # 1 / 2 = 50 % ≥ 50 %
    assert resultat.valeur == Decimal("0.5000")
    assert resultat.atteint is True


def test_mission_2a_sans_signalement_est_indefini():
    resultat = _calcul(calculs.mission_2a_entretiens, RelaisFactory())

    assert (resultat.numerateur, resultat.denominateur, resultat.atteint) == (0, 0, None)


def _assmat_agreee(commune, *, fin=date(2030, 1, 1), affichee=True, confirmee_le=None):
    assmat = AssistantMaternelFactory(commune=commune, afficher_disponibilites=affichee)
    AgrementFactory(assistant_maternel=assmat, date_delivrance=date(2020, 1, 1), date_fin_validite=fin)
    if confirmee_le:
        DisponibiliteFactory(assistant_maternel=assmat, confirmee_le=confirmee_le)
    return assmat


def test_mission_2b_affichage_au_31_decembre():
    relais = RelaisFactory()
    commune = relais.commune_siege
    a = _assmat_agreee(commune, confirmee_le=dt(2025, 11, 15))  # shown on 31/12
    b = _assmat_agreee(commune, confirmee_le=dt(2025, 8, 1))  # confirmed more than 3 months before
    c = _assmat_agreee(commune, affichee=False, confirmee_le=dt(2025, 12, 1))  # no consent
    _assmat_agreee(commune, fin=date(2025, 6, 30), confirmee_le=dt(2025, 12, 1))  # agrément expired on 31/12
    e = _assmat_agreee(commune, confirmee_le=dt(2026, 2, 1))  # latest confirmation after 31/12: not known then

    resultat = _calcul(calculs.mission_2b_disponibilites, relais)

    assert resultat.ids_denominateur == sorted([a.pk, b.pk, c.pk, e.pk])
    assert resultat.ids_numerateur == [a.pk]
    # 1 / 4 = 25 % < 30 %
    assert resultat.valeur == Decimal("0.2500")
    assert resultat.atteint is False
    assert resultat.detail["reference"] == "2025-12-31"


# --- Mission 3 ------------------------------------------------------------------------------------------------


def _depart(relais, assmat, le, **traits):
    return InscriptionFactory(session=SessionFactory(relais=relais), assistant_maternel=assmat, partie_le=le, **traits)


def test_mission_3a_departs_grace_au_relais_progression_de_10_pourcent():
    relais = RelaisFactory()
    commune = relais.commune_siege
    am1, am2, am3, am4, am5 = (AssistantMaternelFactory(commune=commune) for _ in range(5))
    _depart(relais, am1, dt(2024, 5, 1), partie=True, grace=True)
    _depart(relais, am2, dt(2024, 6, 1), suivie=True, grace=True)
    _depart(relais, am1, dt(2025, 3, 1), partie=True, grace=True)
    _depart(relais, am3, dt(2025, 4, 1), suivie=True, grace=True)
    _depart(relais, am3, dt(2025, 9, 1), partie=True, grace=True)  # twice in N: counted once
    _depart(relais, am4, dt(2025, 5, 1), partie=True)  # a departure without the relais' help
    _depart(relais, am5, None, annulee=True)  # cancelled before departure: no departure to count

    resultat = _calcul(calculs.mission_3a_departs_formation, relais)

    assert resultat.ids_numerateur == sorted([am1.pk, am3.pk])
    assert resultat.ids_denominateur == sorted([am1.pk, am2.pk])
    # 2 < 1.10 × 2 = 2.2
    assert resultat.atteint is False
    assert resultat.valeur == Decimal("1.0000")


def test_mission_3a_zero_en_n_moins_1_est_indefini():
    relais = RelaisFactory()
    _depart(relais, AssistantMaternelFactory(commune=relais.commune_siege), dt(2025, 3, 1), partie=True, grace=True)

    resultat = _calcul(calculs.mission_3a_departs_formation, relais)

    assert (resultat.numerateur, resultat.denominateur, resultat.atteint) == (1, 0, None)


def test_mission_3b_propositions_d_accueil_alternatif():
    relais = RelaisFactory()
    session = SessionFactory(relais=relais)

    def demande(le):
        return DemandeAlternativeFactory(enfant_concerne__inscription__session=session, created_at=le)

    d1, d2, d3 = demande(dt(2025, 2, 1)), demande(dt(2025, 3, 1)), demande(dt(2025, 4, 1))
    demande(dt(2024, 4, 1))  # previous year
    PropositionFactory(demande=d1)
    PropositionFactory(demande=d2, refusee=True)  # refused: still a proposal
    PropositionFactory(demande=d2)

    resultat = _calcul(calculs.mission_3b_accueil_alternatif, relais)

    assert resultat.ids_denominateur == sorted([d1.pk, d2.pk, d3.pk])
    assert resultat.ids_numerateur == sorted([d1.pk, d2.pk])
    # 2 / 3 = 66.7 % < 80 %
    assert resultat.atteint is False
    assert resultat.valeur == Decimal("0.6667")


# --- Outside the bonus ----------------------------------------------------------------------------------------


def _solution(relais, le, mode="creche", **kwargs):
    demande = DemandeFactory(relais=relais, solution_trouvee=True, solution_mode=mode, **kwargs)
    action(demande, "solution_trouvee", le, de="propositions_faites")
    return demande


def test_familles_a_bas_revenus_parmi_les_solutions_en_creche():
    relais = RelaisFactory()
    s1 = _solution(relais, dt(2025, 2, 1), rsa=True)
    s2 = _solution(relais, dt(2025, 3, 1), quotient_familial=650)
    s3 = _solution(relais, dt(2025, 4, 1), quotient_familial=900)
    s4 = _solution(relais, dt(2025, 5, 1), tranche_qf="moins_700")
    _solution(relais, dt(2025, 5, 1), mode="assmat", rsa=True)  # not a crèche
    _solution(relais, dt(2024, 5, 1), rsa=True)  # previous year

    resultat = _calcul(calculs.bas_revenus_creche, relais)

    assert resultat.ids_denominateur == sorted([s1.pk, s2.pk, s3.pk, s4.pk])
    assert resultat.ids_numerateur == sorted([s1.pk, s2.pk, s4.pk])
    assert resultat.valeur == Decimal("0.7500")
    assert resultat.atteint is True


def test_delai_median_entre_depot_et_premier_rendez_vous():
    relais = RelaisFactory()
    depot = dt(2025, 3, 3)
    d1, d2, d3, d4 = (DemandeFactory(relais=relais, date_depot=depot) for _ in range(4))
    rendez_vous(d1, depot, debut=depot + timedelta(days=2))
    rendez_vous(d2, depot, debut=depot + timedelta(days=4))
    rendez_vous(d3, depot, debut=depot + timedelta(days=20))
    rendez_vous(d3, depot, debut=depot + timedelta(days=10))  # the first appointment is this one
    DemandeFactory(relais=relais, date_depot=dt(2024, 3, 3))  # previous year

    resultat = _calcul(calculs.delai_premier_rendez_vous, relais)

    # median of 2, 4 and 10 days
    assert resultat.valeur == Decimal("4.0000")
    assert resultat.ids_numerateur == sorted([d1.pk, d2.pk, d3.pk])
    assert resultat.ids_denominateur == sorted([d1.pk, d2.pk, d3.pk, d4.pk])


def test_besoins_urgents_traites_sous_24_heures():
    relais = RelaisFactory()
    depot = dt(2025, 3, 1)
    u1, u2, u3, u4 = (DemandeFactory(relais=relais, date_depot=depot, urgente=True) for _ in range(4))
    action(u1, "rdv_propose", depot + timedelta(hours=5))
    action(u2, "rdv_propose", depot + timedelta(hours=30))
    action(u3, "retiree", depot + timedelta(hours=3), de="nouvelle")  # withdrawn before any action
    normale = DemandeFactory(relais=relais, date_depot=depot)
    action(normale, "rdv_propose", depot + timedelta(hours=1))

    resultat = _calcul(calculs.urgences_24h, relais)

    assert resultat.ids_denominateur == sorted([u1.pk, u2.pk, u4.pk])
    assert resultat.ids_numerateur == [u1.pk]
    assert resultat.valeur == Decimal("0.3333")


def test_demandes_closes_sans_solution():
    relais = RelaisFactory(communes=[CommuneFactory(nom="Lodève")])
    sans = [DemandeFactory(relais=relais, sans_solution=True) for _ in range(2)]
    for demande in sans:
        action(demande, "sans_solution", dt(2025, 6, 1))
    avec = _solution(relais, dt(2025, 7, 1), mode="assmat")
    ancienne = DemandeFactory(relais=relais, sans_solution=True)
    action(ancienne, "sans_solution", dt(2024, 6, 1))

    resultat = _calcul(calculs.besoins_non_satisfaits, relais)

    assert resultat.ids_numerateur == sorted(d.pk for d in sans)
    assert resultat.ids_denominateur == sorted([*(d.pk for d in sans), avec.pk])
    assert resultat.valeur == Decimal(2)


def test_les_dates_de_l_empreinte_sont_ecrites_comme_python_les_ecrirait():
    # PostgreSQL formats the dates of the fingerprint's inputs: same text as `empreinte` gives a datetime,
    # with and without microseconds, so the fingerprint does not depend on who formatted them.
    relais = RelaisFactory()
    depot = dt(2025, 3, 3)
    avec_micro, sans_micro, sans_rdv = (DemandeFactory(relais=relais, date_depot=depot) for _ in range(3))
    rendez_vous(avec_micro, depot, debut=depot + timedelta(days=2, microseconds=1234))
    rendez_vous(sans_micro, depot, debut=depot + timedelta(days=3))

    entrees = _calcul(calculs.delai_premier_rendez_vous, relais).entrees

    assert entrees["ids"] == sorted([avec_micro.pk, sans_micro.pk, sans_rdv.pk])
    attendu = {
        avec_micro.pk: "2025-03-05T09:00:00.001234+00:00",
        sans_micro.pk: "2025-03-06T09:00:00+00:00",
        sans_rdv.pk: None,
    }
    assert entrees["premier_rdv"] == [attendu[pk] for pk in entrees["ids"]]
    assert entrees["date_depot"] == [calculs._iso(depot)] * 3
