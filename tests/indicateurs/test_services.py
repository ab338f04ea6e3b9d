"""Snapshots: reproducible, replaced all or nothing; engagement rules; the bonus decision."""

from datetime import date
from unittest import mock

import pytest
from django.db import IntegrityError, transaction

from indicateurs import calculs, selectors, services
from indicateurs.models import Engagement, HistoriqueEngagement, Snapshot
from indicateurs.tasks import (
    annees_a_calculer,
    calculer_indicateurs,
    calculer_indicateurs_du_departement,
    planifier_calculs,
)
from tests.demandes.factories import DemandeFactory
from tests.factories import AgentCafFactory, DepartementFactory, RelaisFactory
from tests.indicateurs.scenario import OUVERT_AVANT, N, action, dt

pytestmark = pytest.mark.django_db


def _relais_avec_activite():
    relais = RelaisFactory(date_ouverture_guichet=OUVERT_AVANT)
    action(DemandeFactory(relais=relais, date_depot=dt(2024, 1, 1)), "rdv_propose", dt(2024, 1, 2))
    for jour in (1, 2):
        action(DemandeFactory(relais=relais, date_depot=dt(2025, 1, jour)), "rdv_propose", dt(2025, 1, jour + 1))
    return relais


def test_meme_donnees_memes_chiffres_et_meme_empreinte():
    relais = _relais_avec_activite()

    premiere = services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    avant = list(Snapshot.objects.filter(relais=relais, annee=N).order_by("code").values_list("code", "empreinte"))
    seconde = services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    apres = list(Snapshot.objects.filter(relais=relais, annee=N).order_by("code").values_list("code", "empreinte"))

    assert premiere == seconde
    assert avant == apres
    assert len(apres) == 9


def test_une_donnee_changee_change_l_empreinte():
    relais = _relais_avec_activite()
    premiere = services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)

    action(DemandeFactory(relais=relais, date_depot=dt(2025, 5, 1)), "rdv_propose", dt(2025, 5, 2))

    assert services.enregistrer_indicateurs(relais_id=relais.pk, annee=N) != premiere
    assert Snapshot.objects.get(relais=relais, annee=N, code="m1_demandes_en_ligne").numerateur == 3


def test_un_calcul_interrompu_laisse_les_chiffres_precedents():
    relais = _relais_avec_activite()
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    avant = list(Snapshot.objects.filter(relais=relais).order_by("code").values_list("code", "computed_at"))

    with (
        mock.patch.object(Snapshot.objects, "bulk_create", side_effect=RuntimeError("coupure")),
        pytest.raises(RuntimeError),
    ):
        services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)

    assert list(Snapshot.objects.filter(relais=relais).order_by("code").values_list("code", "computed_at")) == avant


def test_la_tache_est_idempotente():
    relais = _relais_avec_activite()

    assert calculer_indicateurs(relais.pk, N) == calculer_indicateurs(relais.pk, N)
    assert Snapshot.objects.filter(relais=relais, annee=N).count() == 9


def test_la_tache_d_un_departement_calcule_tous_ses_relais_et_eux_seuls():
    premier, second = _relais_avec_activite(), _relais_avec_activite()
    ailleurs = RelaisFactory(departement=DepartementFactory(code="30", nom="Gard"))

    empreinte = calculer_indicateurs_du_departement(premier.departement_id, N)

    par_relais = [services.enregistrer_indicateurs(relais_id=pk, annee=N) for pk in sorted([premier.pk, second.pk])]
    assert empreinte == calculs.empreinte(par_relais)
    assert Snapshot.objects.filter(relais=second, annee=N).count() == 9
    assert not Snapshot.objects.filter(relais=ailleurs).exists()


def test_la_nuit_une_tache_par_departement_et_par_annee():
    herault = RelaisFactory().departement
    RelaisFactory(departement=herault)
    gard = RelaisFactory(departement=DepartementFactory(code="30", nom="Gard")).departement

    with (
        mock.patch("indicateurs.tasks.timezone.localdate", return_value=date(2026, 2, 1)),
        mock.patch.object(calculer_indicateurs_du_departement, "delay") as delay,
    ):
        assert planifier_calculs() == 4

    assert sorted(appel.args for appel in delay.call_args_list) == sorted(
        [(herault.pk, 2025), (herault.pk, 2026), (gard.pk, 2025), (gard.pk, 2026)]
    )


def test_annees_calculees_la_nuit():
    assert annees_a_calculer(date(2026, 3, 31)) == [2025, 2026]
    assert annees_a_calculer(date(2026, 4, 1)) == [2026]


def test_un_engagement_a_au_moins_une_mission_en_base():
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.create(relais=RelaisFactory(), annee=N, mission_retenue=1)


def test_la_mission_retenue_est_engagee_en_base():
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.create(relais=RelaisFactory(), annee=N, mission_1=True, mission_retenue=2)


def test_l_agent_caf_enregistre_l_engagement_et_l_historique_est_garde():
    relais = RelaisFactory()
    agent = AgentCafFactory(departement=relais.departement).user

    services.enregistrer_engagement(relais_id=relais.pk, annee=N, missions=[1, 2], mission_retenue=1, par=agent)
    services.enregistrer_engagement(relais_id=relais.pk, annee=N, missions=[2], mission_retenue=2, par=agent)

    engagement = Engagement.objects.get(relais=relais, annee=N)
    assert engagement.missions == [2]
    assert list(HistoriqueEngagement.objects.order_by("pk").values_list("missions", "mission_retenue")) == [
        ([1, 2], 1),
        ([2], 2),
    ]


def test_la_mission_retenue_doit_etre_engagee():
    relais = RelaisFactory()
    agent = AgentCafFactory(departement=relais.departement).user

    with pytest.raises(services.EngagementInvalide):
        services.enregistrer_engagement(relais_id=relais.pk, annee=N, missions=[1], mission_retenue=3, par=agent)


def _decision(relais):
    return selectors.lignes_du_tableau(type(relais).objects.filter(pk=relais.pk), N)[0].decision


def test_financement_de_3000_euros_quand_la_mission_retenue_est_atteinte():
    relais = _relais_avec_activite()  # 2 ≥ 1.20 × 1: mission 1 met
    Engagement.objects.create(relais=relais, annee=N, mission_1=True, mission_2=True, mission_retenue=1)
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)

    assert _decision(relais).montant == 3000


def test_pas_de_financement_quand_un_indicateur_de_la_mission_retenue_manque():
    relais = _relais_avec_activite()
    # Mission 2: no under-activity report, so (a) is undefined, hence not met.
    Engagement.objects.create(relais=relais, annee=N, mission_1=True, mission_2=True, mission_retenue=2)
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)

    assert _decision(relais).montant == 0


def test_un_relais_sans_mission_engagee_n_a_pas_de_financement():
    relais = _relais_avec_activite()
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)

    decision = _decision(relais)
    assert decision.montant is None
    assert decision.libelle == "Aucune mission engagée : pas de financement"


def test_plusieurs_relais_d_un_coup_donnent_les_memes_chiffres_qu_un_par_un():
    premier, second = _relais_avec_activite(), _relais_avec_activite()
    action(DemandeFactory(relais=second, date_depot=dt(2025, 3, 1), urgente=True), "rdv_propose", dt(2025, 3, 1, 12))
    un_par_un = {r.pk: services.enregistrer_indicateurs(relais_id=r.pk, annee=N) for r in (premier, second)}

    ensemble = services.enregistrer_indicateurs_de_plusieurs(relais_ids=[second.pk, premier.pk], annee=N)

    assert ensemble == un_par_un
    assert Snapshot.objects.get(relais=second, code="urgences_24h").ids_numerateur != []
