"""Enrolment lifecycle: inscrite → partie en formation → formation suivie | annulée."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.http import Http404

from formation import selectors, services
from formation.models import Inscription
from tests.assmats.factories import AssistantMaternelFactory
from tests.factories import MembreRelaisFactory
from tests.formation.factories import InscriptionFactory, SessionFactory, au_debut_de

pytestmark = pytest.mark.django_db


def _animatrice(inscription):
    return MembreRelaisFactory(relais=inscription.session.relais).user


def test_une_assmat_s_inscrit_a_une_session_a_venir():
    session = SessionFactory()
    assmat = AssistantMaternelFactory(commune=session.commune)

    inscription = services.demander_inscription(session_id=session.pk, par=assmat.user)

    assert (inscription.statut, inscription.assistant_maternel, inscription.inscrite_par) == (
        "inscrite",
        assmat,
        assmat.user,
    )
    assert list(inscription.historique.values_list("de", "vers", "auteur")) == [("", "inscrite", assmat.user.pk)]


def test_l_animatrice_inscrit_une_assmat_de_son_territoire():
    session = SessionFactory()
    assmat = AssistantMaternelFactory(commune=session.relais.commune_siege)
    animatrice = MembreRelaisFactory(relais=session.relais).user

    inscription = services.inscrire(session_id=session.pk, assmat_id=assmat.pk, par=animatrice)

    assert inscription.inscrite_par == animatrice


def test_le_depart_puis_la_formation_suivie_sont_historises():
    inscription = InscriptionFactory()
    animatrice = _animatrice(inscription)

    with au_debut_de(inscription.session):
        services.marquer_partie(inscription_id=inscription.pk, par=animatrice)
        services.marquer_suivie(inscription_id=inscription.pk, par=animatrice)

    inscription.refresh_from_db()
    assert inscription.statut == "suivie"
    assert inscription.partie_le is not None
    assert inscription.terminee_le is not None
    assert list(inscription.historique.values_list("de", "vers")) == [("inscrite", "partie"), ("partie", "suivie")]


def test_une_formation_pas_encore_commencee_ne_peut_pas_etre_suivie():
    inscription = InscriptionFactory()

    with pytest.raises(services.TransitionInterdite, match="« inscrite »"):
        services.marquer_suivie(inscription_id=inscription.pk, par=_animatrice(inscription))

    inscription.refresh_from_db()
    assert inscription.statut == "inscrite"
    assert not inscription.historique.exists()


def test_une_formation_suivie_ne_peut_plus_etre_annulee():
    inscription = InscriptionFactory(suivie=True)

    with pytest.raises(services.TransitionInterdite, match="formation suivie"):
        services.annuler_inscription(inscription_id=inscription.pk, par=_animatrice(inscription))


def test_une_inscription_annulee_ne_peut_pas_partir():
    inscription = InscriptionFactory(annulee=True)

    with pytest.raises(services.TransitionInterdite):
        services.marquer_partie(inscription_id=inscription.pk, par=_animatrice(inscription))


def test_l_assmat_annule_son_inscription_avant_de_partir():
    inscription = InscriptionFactory()

    services.annuler_inscription(inscription_id=inscription.pk, par=inscription.assistant_maternel.user)

    inscription.refresh_from_db()
    assert inscription.statut == "annulee"
    assert inscription.historique.get().vers == "annulee"


def test_l_assmat_ne_peut_plus_annuler_une_fois_partie_mais_le_relais_le_peut():
    inscription = InscriptionFactory(partie=True)

    with pytest.raises(services.TransitionInterdite):
        services.annuler_inscription(inscription_id=inscription.pk, par=inscription.assistant_maternel.user)
    services.annuler_inscription(inscription_id=inscription.pk, par=_animatrice(inscription))

    inscription.refresh_from_db()
    # She did leave: the departure date stays, mission 3 counts it.
    assert (inscription.statut, inscription.partie_le is not None) == ("annulee", True)


def test_l_assmat_ne_peut_pas_marquer_son_propre_depart():
    inscription = InscriptionFactory()

    with pytest.raises(services.PermissionDenied):
        services.marquer_partie(inscription_id=inscription.pk, par=inscription.assistant_maternel.user)


def test_une_animatrice_d_un_autre_relais_ne_voit_pas_l_inscription():
    inscription = InscriptionFactory()

    with pytest.raises(Http404):
        services.marquer_partie(inscription_id=inscription.pk, par=MembreRelaisFactory().user)


def test_on_ne_s_inscrit_pas_deux_fois_a_la_meme_session():
    inscription = InscriptionFactory()

    with pytest.raises(services.ActionRefusee, match="déjà inscrit"):
        services.demander_inscription(session_id=inscription.session_id, par=inscription.assistant_maternel.user)


def test_apres_une_annulation_on_peut_se_reinscrire():
    inscription = InscriptionFactory(annulee=True)

    nouvelle = services.demander_inscription(
        session_id=inscription.session_id, par=inscription.assistant_maternel.user
    )

    assert nouvelle.pk != inscription.pk


def test_une_session_complete_refuse_l_inscription_avec_un_message_clair():
    session = SessionFactory(capacite=1, intitule="Gestes qui sauvent")
    InscriptionFactory(session=session)
    assmat = AssistantMaternelFactory()

    with pytest.raises(services.ActionRefusee, match="« Gestes qui sauvent » est complète"):
        services.demander_inscription(session_id=session.pk, par=assmat.user)


def test_une_annulation_libere_la_place():
    session = SessionFactory(capacite=1)
    InscriptionFactory(session=session, annulee=True)
    assmat = AssistantMaternelFactory()

    assert services.demander_inscription(session_id=session.pk, par=assmat.user).statut == "inscrite"


def test_une_session_deja_commencee_refuse_les_inscriptions():
    session = SessionFactory(passee=True)

    with pytest.raises(services.ActionRefusee, match="déjà commencé"):
        services.demander_inscription(session_id=session.pk, par=AssistantMaternelFactory().user)


def test_la_base_refuse_un_depart_sans_date():
    with pytest.raises(IntegrityError):
        InscriptionFactory(statut=Inscription.Statut.PARTIE)


def test_un_depart_en_formation_avant_le_debut_de_la_session_est_refuse():
    inscription = InscriptionFactory()

    with pytest.raises(services.ActionRefusee, match="ne peut être enregistré qu'à partir de ce moment"):
        services.marquer_partie(inscription_id=inscription.pk, par=_animatrice(inscription))

    inscription.refresh_from_db()
    assert (inscription.statut, inscription.partie_le) == ("inscrite", None)
    assert not inscription.historique.exists()


def test_le_jour_de_la_session_le_depart_attend_l_heure_de_debut():
    inscription = InscriptionFactory()
    animatrice = _animatrice(inscription)
    debut = inscription.session.debut

    with time_machine.travel(debut - timedelta(minutes=1), tick=False):
        with pytest.raises(services.ActionRefusee, match="commence le"):
            services.marquer_partie(inscription_id=inscription.pk, par=animatrice)
    with time_machine.travel(debut, tick=False):
        partie = services.marquer_partie(inscription_id=inscription.pk, par=animatrice)

    assert (partie.statut, partie.partie_le) == ("partie", debut)


# --- The declared table of transitions (formation.models.Inscription.TRANSITIONS) -------------------------------

# How each service of the table is called by the relais' animatrice, who makes every move.
APPELS = {
    "marquer_partie": services.marquer_partie,
    "marquer_suivie": services.marquer_suivie,
    "annuler_inscription": services.annuler_inscription,
}
TRAITS = {"inscrite": {}, "partie": {"partie": True}, "suivie": {"suivie": True}, "annulee": {"annulee": True}}


def test_chaque_service_de_la_table_des_inscriptions_a_son_appel_dans_ce_test():
    assert set(Inscription.TRANSITIONS.values()) == set(APPELS)
    assert set(TRAITS) == set(Inscription.Statut.values)


@pytest.mark.parametrize("statut", Inscription.Statut.values)
def test_un_service_hors_de_la_table_est_refuse_et_l_animatrice_se_voit_proposer_ceux_de_la_table(statut):
    inscription = InscriptionFactory(**TRAITS[statut])
    animatrice = _animatrice(inscription)
    declares = {nom for (de, _vers), nom in Inscription.TRANSITIONS.items() if de == statut}

    assert selectors.actions_possibles(inscription, animatrice) == declares
    with au_debut_de(inscription.session):
        for nom in sorted(set(APPELS) - declares):
            with pytest.raises(services.TransitionInterdite, match=f"« {inscription.get_statut_display()} »"):
                APPELS[nom](inscription_id=inscription.pk, par=animatrice)
    inscription.refresh_from_db()
    assert inscription.statut == statut


@pytest.mark.parametrize(("de", "vers"), sorted(Inscription.TRANSITIONS))
def test_chaque_transition_de_la_table_se_fait_par_son_service_et_s_inscrit_a_l_historique(de, vers):
    inscription = InscriptionFactory(**TRAITS[de])

    with au_debut_de(inscription.session):
        APPELS[Inscription.TRANSITIONS[(de, vers)]](inscription_id=inscription.pk, par=_animatrice(inscription))

    inscription.refresh_from_db()
    assert inscription.statut == vers
    assert list(inscription.historique.values_list("de", "vers")) == [(de, vers)]


def test_l_assmat_ne_se_voit_proposer_que_l_annulation_avant_de_partir():
    inscrite, partie = InscriptionFactory(), InscriptionFactory(partie=True)

    assert selectors.actions_possibles(inscrite, inscrite.assistant_maternel.user) == {"annuler_inscription"}
    assert selectors.actions_possibles(partie, partie.assistant_maternel.user) == set()
