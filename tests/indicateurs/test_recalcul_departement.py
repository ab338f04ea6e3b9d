"""« Recalculer le département »: one click, one task for every relais of the département, a run row the page
polls (htmx) until the figures are there; a first visit says when the missing figures will be computed."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from indicateurs import services
from indicateurs.models import Calcul, Snapshot
from indicateurs.tasks import calculer_indicateurs_du_departement
from tests.demandes.factories import DemandeFactory
from tests.factories import AgentCafFactory, DepartementFactory, RelaisFactory
from tests.indicateurs.scenario import OUVERT_AVANT, N, action, dt

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _departement_de_deux_relais():
    premier = RelaisFactory(nom="Relais des Garrigues", date_ouverture_guichet=OUVERT_AVANT)
    second = RelaisFactory(
        nom="Relais du Littoral", departement=premier.departement, date_ouverture_guichet=OUVERT_AVANT
    )
    for relais in (premier, second):
        action(DemandeFactory(relais=relais, date_depot=dt(N, 1, 6)), "rdv_propose", dt(N, 1, 7))
    return premier.departement, premier, second


def _agent(departement, client):
    agent = AgentCafFactory(departement=departement).user
    client.force_login(agent)
    return agent


def _url(nom, departement, annee=N):
    return reverse(f"indicateurs:{nom}", args=[departement.pk]) + f"?annee={annee}"


def test_a_la_premiere_visite_le_tableau_dit_que_l_annee_en_cours_sera_calculee_cette_nuit(client):
    departement, _, _ = _departement_de_deux_relais()
    _agent(departement, client)
    annee = timezone.localdate().year

    contenu = client.get(reverse("indicateurs:tableau") + f"?annee={annee}").content.decode()

    assert f"2 relais sans chiffres {annee} : ils seront calculés cette nuit à 2 h 15" in contenu
    assert "Recalculer le département" in contenu


def test_une_annee_close_jamais_calculee_n_attend_pas_la_nuit(client):
    departement, _, _ = _departement_de_deux_relais()
    _agent(departement, client)

    with mock.patch("indicateurs.selectors.timezone.localdate", return_value=date(N + 1, 6, 1)):
        contenu = client.get(reverse("indicateurs:tableau") + f"?annee={N}").content.decode()

    assert f"l'année {N} n'est pas recalculée la nuit ; « Recalculer le département » les calcule" in contenu


def test_recalculer_le_departement_met_une_seule_tache_en_file_pour_tous_ses_relais(
    client, django_capture_on_commit_callbacks
):
    departement, _, _ = _departement_de_deux_relais()
    agent = _agent(departement, client)

    with (
        mock.patch.object(calculer_indicateurs_du_departement, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        reponse = client.post(_url("recalculer_departement", departement), headers=HX)
    calcul = Calcul.objects.get()

    delay.assert_called_once_with(departement.pk, N, calcul_id=calcul.pk)
    assert (calcul.departement, calcul.relais, calcul.demande_par, calcul.statut) == (
        departement,
        None,
        agent,
        Calcul.Statut.EN_ATTENTE,
    )
    contenu = reponse.content.decode()
    assert "Recalcul du département en attente" in contenu
    assert f'hx-get="{_url("departement", departement)}"' in contenu


def test_un_second_clic_pendant_le_calcul_ne_lance_pas_une_seconde_tache(client, django_capture_on_commit_callbacks):
    departement, _, _ = _departement_de_deux_relais()
    _agent(departement, client)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(_url("recalculer_departement", departement), headers=HX)
        client.post(_url("recalculer_departement", departement), headers=HX)

    assert Calcul.objects.count() == 1
    assert len(callbacks) == 1


def test_un_calcul_perdu_avec_son_worker_n_empeche_pas_d_en_relancer_un(client, django_capture_on_commit_callbacks):
    departement, _, _ = _departement_de_deux_relais()
    _agent(departement, client)
    perdu = Calcul.objects.create(
        departement=departement, annee=N, statut=Calcul.Statut.EN_COURS, created_at=timezone.now() - timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(_url("recalculer_departement", departement), headers=HX)

    assert Calcul.objects.exclude(pk=perdu.pk).count() == 1
    assert len(callbacks) == 1


def test_le_bloc_interroge_l_etat_puis_montre_les_chiffres_quand_le_calcul_est_fini(
    client, django_capture_on_commit_callbacks
):
    departement, premier, second = _departement_de_deux_relais()
    _agent(departement, client)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(_url("recalculer_departement", departement), headers=HX)
    calcul = Calcul.objects.get()
    en_attente = client.get(_url("departement", departement), headers=HX).content.decode()

    services.executer_calcul_du_departement(departement_id=departement.pk, annee=N, calcul_id=calcul.pk)  # the task
    fini = client.get(_url("departement", departement), headers=HX).content.decode()

    assert "hx-trigger" in en_attente
    assert "pas encore calculé" in en_attente
    assert "hx-trigger" not in fini
    assert "pas encore calculé" not in fini
    assert "Département recalculé le" in fini
    assert Snapshot.objects.filter(relais__in=[premier, second], annee=N).count() == 18
    calcul.refresh_from_db()
    assert calcul.statut == Calcul.Statut.TERMINE
    assert calcul.commence_le is not None
    assert calcul.termine_le is not None


def test_un_calcul_en_echec_est_dit_et_le_bloc_cesse_d_interroger(client):
    departement, _, _ = _departement_de_deux_relais()
    _agent(departement, client)
    calcul = Calcul.objects.create(departement=departement, annee=N)

    with (
        mock.patch("indicateurs.calculs.calculer_tout", side_effect=RuntimeError("base indisponible")),
        pytest.raises(RuntimeError),
    ):
        calculer_indicateurs_du_departement(departement.pk, N, calcul_id=calcul.pk)
    contenu = client.get(_url("departement", departement), headers=HX).content.decode()

    assert "Le recalcul du département a échoué" in contenu
    assert "hx-trigger" not in contenu
    calcul.refresh_from_db()
    assert (calcul.statut, calcul.erreur) == (Calcul.Statut.ECHEC, "base indisponible")


def test_l_etat_interroge_coute_autant_de_requetes_pour_un_relais_que_pour_quatre(
    client, django_assert_max_num_queries
):
    departement, premier, _ = _departement_de_deux_relais()
    _agent(departement, client)
    Calcul.objects.create(departement=departement, annee=N)
    with django_assert_max_num_queries(12) as deux:
        assert client.get(_url("departement", departement), headers=HX).status_code == 200
    for _ in range(2):
        RelaisFactory(departement=departement)

    with django_assert_max_num_queries(len(deux.captured_queries)):
        assert client.get(_url("departement", departement), headers=HX).status_code == 200


def test_l_agent_d_une_autre_caf_ne_recalcule_pas_le_departement(client):
    departement, _, _ = _departement_de_deux_relais()
    _agent(DepartementFactory(code="30", nom="Gard"), client)

    assert client.post(_url("recalculer_departement", departement), headers=HX).status_code == 404
    assert client.get(_url("departement", departement), headers=HX).status_code == 404
    assert not Calcul.objects.exists()


def test_un_calcul_porte_sur_un_relais_ou_un_departement_en_base():
    departement, premier, _ = _departement_de_deux_relais()

    with pytest.raises(IntegrityError), transaction.atomic():
        Calcul.objects.create(relais=premier, departement=departement, annee=N)
    with pytest.raises(IntegrityError), transaction.atomic():
        Calcul.objects.create(annee=N)


def test_la_page_d_un_relais_pas_encore_calcule_dit_quand_il_le_sera(client):
    _, premier, _ = _departement_de_deux_relais()
    _agent(premier.departement, client)
    annee = timezone.localdate().year

    contenu = client.get(reverse("indicateurs:relais", args=[premier.pk]) + f"?annee={annee}").content.decode()

    assert "Chiffres pas encore calculés : ils le seront cette nuit à 2 h 15" in contenu
