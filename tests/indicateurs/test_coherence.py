"""Consistency rules, hand-computed: online requests exist only once the online service is open, nothing dated
in the future counts, and the retained mission is frozen once the year's figures are shown."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from indicateurs import calculs, selectors, services
from indicateurs.models import Engagement, HistoriqueEngagement
from tests.assmats.factories import AssistantMaternelFactory, EntretienFactory, SignalementFactory
from tests.demandes.factories import DemandeFactory
from tests.factories import AgentCafFactory, RelaisFactory
from tests.formation.factories import (
    DemandeAlternativeFactory,
    InscriptionFactory,
    PropositionFactory,
    SessionFactory,
)
from tests.indicateurs.scenario import N_1, N, action, dt, rendez_vous
from tests.pdf import texte_du_pdf

pytestmark = pytest.mark.django_db


def _m1(relais, annee=N):
    return calculs.mission_1_demandes_en_ligne([relais.pk], annee)[relais.pk]


# --- Mission 1 and the opening of the online service -------------------------------------------------------------


def test_mission_1_ne_compte_que_les_demandes_deposees_apres_l_ouverture_du_service_en_ligne():
    relais = RelaisFactory(date_ouverture_guichet=date(2024, 7, 1))
    # N-1: filed before the opening (processed after it): not an online request.
    avant = DemandeFactory(relais=relais, date_depot=dt(2024, 3, 1))
    action(avant, "rdv_propose", dt(2024, 8, 1))
    # N-1: filed on the opening day, 9:00 Paris time: online.
    jour_j = DemandeFactory(relais=relais, date_depot=dt(2024, 7, 1, 9))
    action(jour_j, "rdv_propose", dt(2024, 7, 5))
    # N: filed the day before the opening, first processed in N: still not online.
    veille = DemandeFactory(relais=relais, date_depot=dt(2024, 6, 30, 23))
    action(veille, "rdv_propose", dt(2025, 1, 10))
    en_ligne = [DemandeFactory(relais=relais, date_depot=dt(2025, mois, 1)) for mois in (2, 3)]
    for demande in en_ligne:
        action(demande, "rdv_propose", demande.date_depot + timedelta(days=3))

    resultat = _m1(relais)

    assert resultat.ids_denominateur == [jour_j.pk]
    assert resultat.ids_numerateur == sorted(d.pk for d in en_ligne)
    # 2 ≥ 1.20 × 1
    assert (resultat.numerateur, resultat.denominateur, resultat.valeur, resultat.atteint) == (
        2,
        1,
        Decimal("2.0000"),
        True,
    )
    # The year of the opening: met by the opening, counting only what was filed from the opening on.
    ouverture = _m1(relais, N_1)
    assert (ouverture.ids_numerateur, ouverture.atteint) == ([jour_j.pk], True)


def test_un_relais_pas_encore_ouvert_compte_zero_demande_en_ligne():
    relais = RelaisFactory(date_ouverture_guichet=None)
    for annee in (N_1, N):
        demande = DemandeFactory(relais=relais, date_depot=dt(annee, 2, 1))
        action(demande, "rdv_propose", dt(annee, 2, 2))

    resultat = _m1(relais)

    assert (resultat.numerateur, resultat.denominateur, resultat.atteint) == (0, 0, False)
    assert resultat.detail["pas_encore_ouvert"] is True
    assert resultat.detail["par_mois"] == [0] * 12


def test_une_ouverture_prevue_plus_tard_dans_l_annee_en_cours_n_atteint_pas_encore_la_mission_1():
    relais = RelaisFactory(date_ouverture_guichet=date(2025, 9, 1))
    with time_machine.travel(dt(2025, 6, 15), tick=False):
        demande = DemandeFactory(relais=relais, date_depot=dt(2025, 3, 1))
        action(demande, "rdv_propose", dt(2025, 3, 2))
        resultat = _m1(relais)

    assert (resultat.numerateur, resultat.atteint, resultat.detail["pas_encore_ouvert"]) == (0, False, True)
    # Once the year is over, the opening in September met it.
    assert _m1(relais).atteint is True


# --- Records dated in the future ---------------------------------------------------------------------------------


def test_rien_de_date_dans_le_futur_ne_compte():
    relais = RelaisFactory(date_ouverture_guichet=date(2020, 1, 1))
    assmat = AssistantMaternelFactory(commune=relais.commune_siege)
    session = SessionFactory(relais=relais)
    with time_machine.travel(dt(2025, 6, 15, 12), tick=False):
        # Mission 1: processed in May (counts); an action dated in July (the future) does not process a request.
        traitee = DemandeFactory(relais=relais, date_depot=dt(2025, 5, 1))
        action(traitee, "rdv_propose", dt(2025, 5, 2))
        action(DemandeFactory(relais=relais, date_depot=dt(2025, 5, 1)), "rdv_propose", dt(2025, 7, 1))
        # A request filed in the future does not exist yet for any indicator.
        future = DemandeFactory(relais=relais, date_depot=dt(2025, 8, 1), urgente=True)
        action(future, "rdv_propose", dt(2025, 8, 1, 12))
        # Urgent need of this morning answered « tonight »: not answered yet.
        urgente = DemandeFactory(relais=relais, date_depot=dt(2025, 6, 15, 9), urgente=True)
        action(urgente, "rdv_propose", dt(2025, 6, 15, 20))
        # Appointment proposed on 10 June (processed), held next week: not a first appointment yet.
        planifiee = DemandeFactory(relais=relais, date_depot=dt(2025, 6, 9))
        rendez_vous(planifiee, dt(2025, 6, 10), debut=dt(2025, 6, 22))
        # Mission 2 (a): a report dated in the future; an interview « offered » in the future.
        signalement = SignalementFactory(assistant_maternel=assmat)
        type(signalement).objects.filter(pk=signalement.pk).update(signale_le=dt(2025, 6, 1))
        entretien = EntretienFactory(signalement=signalement)
        type(entretien).objects.filter(pk=entretien.pk).update(propose_le=dt(2025, 6, 30))
        futur = SignalementFactory(assistant_maternel=AssistantMaternelFactory(commune=relais.commune_siege))
        type(futur).objects.filter(pk=futur.pk).update(signale_le=dt(2025, 9, 1))
        # Mission 3 (b): a request in March with a proposal dated in the future, a request dated in the future.
        mars = DemandeAlternativeFactory(enfant_concerne__inscription__session=session, created_at=dt(2025, 3, 1))
        proposition = PropositionFactory(demande=mars)
        type(proposition).objects.filter(pk=proposition.pk).update(propose_le=dt(2025, 7, 1))
        DemandeAlternativeFactory(enfant_concerne__inscription__session=session, created_at=dt(2025, 10, 1))

        resultats = {r.code: r for r in calculs.calculer_tout([relais.pk], N)[relais.pk]}

    assert resultats["m1_demandes_en_ligne"].ids_numerateur == sorted([traitee.pk, planifiee.pk])
    assert (resultats["urgences_24h"].ids_denominateur, resultats["urgences_24h"].ids_numerateur) == (
        [urgente.pk],
        [],
    )
    assert resultats["delai_premier_rdv"].numerateur == 0
    assert future.pk not in resultats["delai_premier_rdv"].ids_denominateur
    assert (resultats["m2a_entretiens"].ids_denominateur, resultats["m2a_entretiens"].ids_numerateur) == (
        [assmat.pk],
        [],
    )
    assert (resultats["m3b_accueil_alternatif"].ids_denominateur, resultats["m3b_accueil_alternatif"].numerateur) == (
        [mars.pk],
        0,
    )


# --- The retained mission, frozen once the year's figures are shown -------------------------------------------


def _engager(relais, agent, retenue, motif=""):
    return services.enregistrer_engagement(
        relais_id=relais.pk, annee=N, missions=[1, 2], mission_retenue=retenue, par=agent, motif=motif
    )


def test_la_mission_retenue_se_choisit_librement_tant_que_les_chiffres_ne_sont_pas_affiches():
    relais = RelaisFactory(date_ouverture_guichet=date(2020, 1, 1))
    agent = AgentCafFactory(departement=relais.departement).user

    _engager(relais, agent, 1)
    _engager(relais, agent, 2)

    assert Engagement.objects.get(relais=relais, annee=N).retenue_modifiee_apres_affichage_le is None
    assert not HistoriqueEngagement.objects.filter(apres_affichage=True).exists()


def test_apres_l_affichage_des_chiffres_changer_de_mission_retenue_exige_un_motif_et_est_signale(client, tmp_path):
    relais = RelaisFactory(date_ouverture_guichet=date(2020, 1, 1))
    agent = AgentCafFactory(departement=relais.departement, user__first_name="Claire", user__last_name="Auger").user
    _engager(relais, agent, 1)
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)  # the figures of N are shown from now on

    with pytest.raises(services.EngagementInvalide, match="motif"):
        _engager(relais, agent, 2)
    assert Engagement.objects.get(relais=relais, annee=N).mission_retenue == 1
    # Same retained mission: not a change of the evaluation, no reason needed.
    _engager(relais, agent, 1)

    _engager(relais, agent, 2, motif="Erreur de saisie : la convention signée retient la mission 2.")

    engagement = Engagement.objects.get(relais=relais, annee=N)
    assert engagement.mission_retenue == 2
    assert engagement.retenue_modifiee_apres_affichage_le is not None
    tardif = HistoriqueEngagement.objects.get(apres_affichage=True)
    assert (tardif.auteur, tardif.mission_retenue, tardif.motif) == (
        agent,
        2,
        "Erreur de saisie : la convention signée retient la mission 2.",
    )
    assert HistoriqueEngagement.objects.count() == 3
    assert selectors.changements_apres_affichage(relais, N) == [tardif]
    client.force_login(agent)
    page = client.get(reverse("indicateurs:relais", args=[relais.pk]) + f"?annee={N}").content.decode()
    assert "mission retenue modifiée après l'affichage des chiffres" in page
    assert "la convention signée retient la mission 2" in page
    pdf = client.get(reverse("indicateurs:rapport_pdf", args=[relais.pk]) + f"?annee={N}").content
    texte = " ".join(texte_du_pdf(pdf, tmp_path, "rapport.pdf").split())
    assert "mission retenue modifiée après l'affichage des chiffres" in texte
    assert "la convention signée retient la mission 2" in texte


def test_le_formulaire_d_engagement_demande_le_motif_apres_l_affichage(client):
    relais = RelaisFactory(date_ouverture_guichet=date(2020, 1, 1))
    agent = AgentCafFactory(departement=relais.departement).user
    _engager(relais, agent, 1)
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    client.force_login(agent)
    url = reverse("indicateurs:engagement", args=[relais.pk]) + f"?annee={N}"

    refuse = client.post(url, {"missions": ["1", "2"], "mission_retenue": "2"})
    accepte = client.post(url, {"missions": ["1", "2"], "mission_retenue": "2", "motif": "Avenant du 3 mars."})

    assert refuse.status_code == 200
    assert "ont déjà été affichés" in refuse.content.decode()
    assert accepte.status_code == 302
    assert HistoriqueEngagement.objects.get(apres_affichage=True).motif == "Avenant du 3 mars."


def test_un_depart_en_formation_date_dans_le_futur_ne_compte_pas():
    relais = RelaisFactory()
    parties = [AssistantMaternelFactory(commune=relais.commune_siege) for _ in range(2)]
    with time_machine.travel(dt(2025, 6, 15), tick=False):
        InscriptionFactory(
            session=SessionFactory(relais=relais),
            assistant_maternel=parties[0],
            partie_le=dt(2025, 3, 1),
            partie=True,
            grace=True,
        )
        InscriptionFactory(
            session=SessionFactory(relais=relais),
            assistant_maternel=parties[1],
            partie_le=dt(2025, 9, 1),
            partie=True,
            grace=True,
        )
        resultat = calculs.mission_3a_departs_formation([relais.pk], N)[relais.pk]

    assert resultat.ids_numerateur == [parties[0].pk]
