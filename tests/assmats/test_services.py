from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone

from assmats import services
from assmats.models import Accueil, Agrement, Entretien, LabelAvip, Structure
from tests.assmats.factories import (
    AccueilFactory,
    AgrementFactory,
    AssistantMaternelFactory,
    DisponibiliteFactory,
    SignalementFactory,
    StructureFactory,
)
from tests.factories import AgentCafFactory, CommuneFactory, MembreRelaisFactory, RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


def _assmat_agreee(capacite_totale=4, capacite_moins_3_ans=3):
    assmat = AssistantMaternelFactory()
    AgrementFactory(
        assistant_maternel=assmat, capacite_totale=capacite_totale, capacite_moins_3_ans=capacite_moins_3_ans
    )
    return assmat


def _nouvel_accueil(naissance_il_y_a_jours=300, debut=None):
    return Accueil(
        prenom_enfant="Lina",
        date_naissance=timezone.localdate() - timedelta(days=naissance_il_y_a_jours),
        jours=[0, 1],
        date_debut=debut or timezone.localdate(),
    )


def test_un_accueil_au_dela_de_la_capacite_de_l_agrement_est_refuse():
    assmat = _assmat_agreee(capacite_totale=2, capacite_moins_3_ans=2)
    AccueilFactory.create_batch(2, assistant_maternel=assmat)

    with pytest.raises(services.ActionRefusee, match="au-delà des 2 de votre agrément"):
        services.enregistrer_accueil(assmat=assmat, accueil=_nouvel_accueil())
    assert assmat.accueils.count() == 2


def test_un_cinquieme_enfant_de_moins_de_3_ans_est_refuse_meme_avec_un_agrement_de_6():
    assmat = _assmat_agreee(capacite_totale=6, capacite_moins_3_ans=4)
    AccueilFactory.create_batch(4, assistant_maternel=assmat)

    with pytest.raises(services.ActionRefusee, match="moins de 3 ans"):
        services.enregistrer_accueil(assmat=assmat, accueil=_nouvel_accueil())


def test_un_grand_peut_completer_quand_les_places_de_moins_de_3_ans_sont_prises():
    assmat = _assmat_agreee(capacite_totale=4, capacite_moins_3_ans=2)
    AccueilFactory.create_batch(2, assistant_maternel=assmat)

    services.enregistrer_accueil(assmat=assmat, accueil=_nouvel_accueil(naissance_il_y_a_jours=5 * 365))

    assert assmat.accueils.count() == 3


def test_un_accueil_futur_qui_depasserait_la_capacite_a_sa_date_de_debut_est_refuse():
    assmat = _assmat_agreee(capacite_totale=1, capacite_moins_3_ans=1)
    AccueilFactory(assistant_maternel=assmat, date_debut=timezone.localdate() + timedelta(days=60))

    with pytest.raises(services.ActionRefusee):
        services.enregistrer_accueil(assmat=assmat, accueil=_nouvel_accueil())


def test_un_accueil_qui_se_termine_avant_le_suivant_laisse_la_place():
    assmat = _assmat_agreee(capacite_totale=1, capacite_moins_3_ans=1)
    AccueilFactory(assistant_maternel=assmat, date_debut=timezone.localdate() + timedelta(days=60))
    accueil = _nouvel_accueil()
    accueil.date_fin = timezone.localdate() + timedelta(days=59)

    services.enregistrer_accueil(assmat=assmat, accueil=accueil)

    assert assmat.accueils.count() == 2


def test_sans_agrement_on_ne_peut_pas_declarer_d_enfant():
    with pytest.raises(services.ActionRefusee, match="agrément"):
        services.enregistrer_accueil(assmat=AssistantMaternelFactory(), accueil=_nouvel_accueil())


def test_des_places_offertes_au_dela_des_places_libres_sont_refusees():
    assmat = _assmat_agreee(capacite_totale=2, capacite_moins_3_ans=2)
    AccueilFactory(assistant_maternel=assmat)
    disponibilite = DisponibiliteFactory.build(assistant_maternel=assmat, places_moins_3_ans=2, places_plus_3_ans=0)

    with pytest.raises(services.ActionRefusee, match="laissent 1 place"):
        services.declarer_disponibilites(disponibilite=disponibilite)


def test_confirmer_ses_disponibilites_les_rend_a_nouveau_fraiches():
    assmat = _assmat_agreee()
    disponibilite = DisponibiliteFactory(assistant_maternel=assmat, perimee=True)

    services.confirmer_disponibilites(assmat=assmat)

    disponibilite.refresh_from_db()
    assert timezone.now() - disponibilite.confirmee_le < timedelta(minutes=1)


def test_signaler_une_sous_activite_dans_le_futur_est_refuse():
    with pytest.raises(services.ActionRefusee):
        services.signaler_sous_activite(
            assmat=AssistantMaternelFactory(), depuis=timezone.localdate() + timedelta(days=1), places_inoccupees=1
        )


def test_une_animatrice_propose_un_entretien_date_precisement(django_capture_on_commit_callbacks):
    relais = RelaisFactory()
    animatrice = MembreRelaisFactory(relais=relais).user
    signalement = SignalementFactory(assistant_maternel__commune=relais.commune_siege)
    quand = timezone.now() + timedelta(days=3)

    with django_capture_on_commit_callbacks() as callbacks:
        entretien = services.proposer_entretien(
            signalement_id=signalement.pk, par=animatrice, type=Entretien.Type.COLLECTIF, date_entretien=quand
        )

    assert (entretien.date_entretien, entretien.propose_par, entretien.type) == (quand, animatrice, "collectif")
    assert len(callbacks) == 1


def test_une_animatrice_d_un_autre_relais_ne_peut_pas_proposer_d_entretien():
    signalement = SignalementFactory(assistant_maternel__commune=RelaisFactory().commune_siege)
    autre = MembreRelaisFactory().user

    with pytest.raises(Http404):
        services.proposer_entretien(
            signalement_id=signalement.pk, par=autre, type="individuel", date_entretien=timezone.now()
        )


def test_l_issue_d_un_entretien_est_datee():
    relais = RelaisFactory()
    animatrice = MembreRelaisFactory(relais=relais).user
    signalement = SignalementFactory(assistant_maternel__commune=relais.commune_siege)
    entretien = services.proposer_entretien(
        signalement_id=signalement.pk, par=animatrice, type="individuel", date_entretien=timezone.now()
    )

    services.enregistrer_issue_entretien(entretien_id=entretien.pk, par=animatrice, issue="realise")

    entretien.refresh_from_db()
    assert entretien.issue == "realise"
    assert entretien.issue_le is not None


def test_le_label_avip_est_accorde_puis_retire_avec_ses_dates():
    relais = RelaisFactory()
    agent = AgentCafFactory(departement=relais.departement).user
    assmat = AssistantMaternelFactory(commune=relais.commune_siege)

    services.accorder_label_avip(assmat_id=assmat.pk, par=agent, date_debut=date(2026, 3, 1))
    with pytest.raises(services.ActionRefusee, match="déjà labellisée"):
        services.accorder_label_avip(assmat_id=assmat.pk, par=agent, date_debut=date(2026, 4, 1))
    services.retirer_label_avip(assmat_id=assmat.pk, par=agent, date_fin=date(2026, 9, 30))

    label = LabelAvip.objects.get()
    assert (label.date_debut, label.date_fin, label.accorde_par, label.retire_par) == (
        date(2026, 3, 1),
        date(2026, 9, 30),
        agent,
        agent,
    )


def test_la_base_refuse_un_agrement_au_dela_de_la_loi():
    with pytest.raises(IntegrityError):
        AgrementFactory(capacite_totale=6, capacite_moins_3_ans=5)


def test_la_base_refuse_une_creche_sans_place_d_insertion():
    with pytest.raises(IntegrityError):
        Structure.objects.create(
            type="creche",
            nom="X",
            adresse="1 rue",
            commune=CommuneFactory(),
            places_moins_3_ans=21,
            places_insertion=1,
        )


def test_une_mam_n_a_pas_d_obligation_de_places_d_insertion():
    assert StructureFactory(type="mam", places_moins_3_ans=12, places_plus_3_ans=0, places_insertion=0).pk


def test_un_compte_cree_par_une_assmat_retrouve_sa_fiche_importee():
    fiche = AssistantMaternelFactory(sans_compte=True, email="sylvie@exemple.fr")
    user = UserFactory(assmat=True, email="sylvie@exemple.fr")

    assert services.lier_compte(user=user) == fiche
    fiche.refresh_from_db()
    assert fiche.user == user


def test_agrement_est_valide_entre_ses_dates():
    agrement = Agrement(date_delivrance=date(2026, 1, 1), date_fin_validite=date(2026, 12, 31))

    assert agrement.est_valide(date(2026, 12, 31))
    assert not agrement.est_valide(date(2027, 1, 1))
