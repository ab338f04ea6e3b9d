"""Under-activity: the childminder's report, the interview the relais offers, and its outcome (mission 2 (a)).

A report counts places within her agrément and waits, alone, for the interview; an outcome says what happened,
so it is never recorded before the interview's time."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from assmats import services
from assmats.models import Entretien, SignalementSousActivite
from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory, EntretienFactory, SignalementFactory
from tests.factories import MembreRelaisFactory, RelaisFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def relais():
    return RelaisFactory()


@pytest.fixture
def assmat(relais):
    assmat = AssistantMaternelFactory(commune=relais.commune_siege)
    AgrementFactory(assistant_maternel=assmat, capacite_totale=3, capacite_moins_3_ans=2)
    return assmat


@pytest.fixture
def animatrice(relais):
    return MembreRelaisFactory(relais=relais).user


def _signaler(assmat, places=2):
    return services.signaler_sous_activite(
        assmat=assmat, depuis=timezone.localdate() - timedelta(days=20), places_inoccupees=places
    )


def _entretien(assmat, *, dans: timedelta, **kwargs):
    return EntretienFactory(
        signalement=SignalementFactory(assistant_maternel=assmat), date_entretien=timezone.now() + dans, **kwargs
    )


# --- The report ---------------------------------------------------------------------------------------------------


def test_une_assmat_ne_signale_pas_plus_de_places_inoccupees_que_son_agrement_n_en_autorise(assmat):
    with pytest.raises(services.ActionRefusee, match="Votre agrément autorise 3 enfant") as refus:
        _signaler(assmat, places=4)

    assert refus.value.champ == "places_inoccupees"
    assert not SignalementSousActivite.objects.exists()


def test_sans_agrement_enregistre_la_sous_activite_ne_peut_pas_se_compter(relais):
    sans_agrement = AssistantMaternelFactory(commune=relais.commune_siege)

    with pytest.raises(services.ActionRefusee, match="Enregistrez d'abord votre agrément"):
        _signaler(sans_agrement, places=1)

    assert not SignalementSousActivite.objects.exists()


def test_un_second_signalement_est_refuse_tant_que_le_premier_attend_son_entretien(assmat):
    premier = _signaler(assmat)
    EntretienFactory(signalement=premier, date_entretien=timezone.now() + timedelta(days=3))

    with pytest.raises(services.ActionRefusee, match="Vous avez déjà signalé une sous-activité le"):
        _signaler(assmat, places=1)

    assert list(SignalementSousActivite.objects.values_list("pk", flat=True)) == [premier.pk]


def test_apres_l_issue_de_l_entretien_une_nouvelle_sous_activite_peut_etre_signalee(assmat, animatrice):
    entretien = EntretienFactory(signalement=_signaler(assmat), date_entretien=timezone.now() - timedelta(hours=1))
    services.enregistrer_issue_entretien(entretien_id=entretien.pk, par=animatrice, issue=Entretien.Issue.REALISE)

    nouveau = _signaler(assmat, places=1)

    assert SignalementSousActivite.objects.filter(assistant_maternel=assmat).count() == 2
    assert nouveau.traite_le is None


def test_la_base_refuse_deux_signalements_en_attente_pour_la_meme_assmat(assmat):
    SignalementFactory(assistant_maternel=assmat)

    with pytest.raises(IntegrityError):
        SignalementFactory(assistant_maternel=assmat)


def test_le_formulaire_refuse_garde_la_saisie_et_montre_l_erreur_a_cote_du_nombre_de_places(client, assmat):
    client.force_login(assmat.user)

    html = client.post(
        reverse("assmats:sous_activite"),
        {"depuis": (timezone.localdate() - timedelta(days=10)).isoformat(), "places_inoccupees": 5},
    ).content.decode()

    assert 'id="error_1_id_places_inoccupees"' in html
    assert "Votre agrément autorise 3 enfant(s) : vous ne pouvez pas signaler 5 places inoccupées." in html
    assert 'value="5"' in html
    assert not SignalementSousActivite.objects.exists()


def test_un_second_signalement_par_le_formulaire_dit_pourquoi_il_attend(client, assmat):
    SignalementFactory(assistant_maternel=assmat)
    client.force_login(assmat.user)

    html = client.post(
        reverse("assmats:sous_activite"),
        {"depuis": (timezone.localdate() - timedelta(days=10)).isoformat(), "places_inoccupees": 1},
    ).content.decode()

    assert "votre relais vous proposera un entretien" in html
    assert SignalementSousActivite.objects.count() == 1


# --- The interview's outcome --------------------------------------------------------------------------------------


def test_l_issue_d_un_entretien_a_venir_est_refusee_et_rien_ne_change(assmat, animatrice):
    entretien = _entretien(assmat, dans=timedelta(days=2))

    with pytest.raises(services.ActionRefusee, match="son issue ne peut être enregistrée qu'après"):
        services.enregistrer_issue_entretien(entretien_id=entretien.pk, par=animatrice, issue="realise")

    entretien.refresh_from_db()
    assert (entretien.issue, entretien.issue_le, entretien.signalement.traite_le) == ("", None, None)


def test_l_issue_s_enregistre_des_l_heure_de_l_entretien(assmat, animatrice):
    entretien = _entretien(assmat, dans=timedelta(hours=2))

    with time_machine.travel(entretien.date_entretien, tick=False):
        services.enregistrer_issue_entretien(entretien_id=entretien.pk, par=animatrice, issue="sans_reponse")

    entretien.refresh_from_db()
    assert (entretien.issue, entretien.issue_le) == ("sans_reponse", entretien.date_entretien)
    assert entretien.signalement.traite_le == entretien.date_entretien


def test_le_suivi_dit_qu_un_entretien_a_venir_attend_son_heure_sans_proposer_d_issue(client, assmat, animatrice):
    entretien = _entretien(assmat, dans=timedelta(days=2))
    client.force_login(animatrice)

    html = client.get(reverse("assmats:sous_activites")).content.decode()

    assert "à venir : l'issue s'enregistre après l'entretien" in html
    assert f'id="issue-{entretien.pk}"' not in html


def test_une_issue_refusee_revient_sur_la_page_a_cote_de_son_entretien(client, assmat, animatrice):
    entretien = _entretien(assmat, dans=timedelta(days=2))
    client.force_login(animatrice)

    reponse = client.post(reverse("assmats:issue_entretien", args=[entretien.pk]), {"issue": "decline"})

    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert f'aria-describedby="issue-{entretien.pk}-erreur"' in html
    assert f'<div class="invalid-feedback d-block" id="issue-{entretien.pk}-erreur">' in html
    assert "son issue ne peut être enregistrée qu&#x27;après." in html
    assert '<option value="decline" selected>' in html
    entretien.refresh_from_db()
    assert entretien.issue == ""
