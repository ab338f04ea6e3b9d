"""Alternative childcare while the childminder is in training: her declaration e-mails the parents a signed
link, the parent asks, the relais proposes, the parent answers. E-mails are jobs run after commit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.http import Http404
from django.urls import reverse

from courriels.services import envoyer_en_attente
from formation import emails, selectors, services, tasks
from formation.liens import jeton_pour_parent
from formation.models import DemandeAccueilAlternatif, EnfantConcerne
from tests.assmats.factories import AccueilFactory, AgrementFactory, AssistantMaternelFactory, StructureFactory
from tests.factories import MembreRelaisFactory, UserFactory
from tests.formation.factories import (
    DemandeAlternativeFactory,
    EnfantConcerneFactory,
    InscriptionFactory,
    PropositionFactory,
)

pytestmark = pytest.mark.django_db


def _declarer(inscription, *enfants, callbacks_capture):
    with callbacks_capture(execute=False) as callbacks:
        services.declarer_enfants_concernes(
            inscription_id=inscription.pk, par=inscription.assistant_maternel.user, enfants=list(enfants)
        )
    return callbacks


def test_la_declaration_de_l_assmat_envoie_au_parent_un_lien_vers_une_demande_preremplie(
    client, django_capture_on_commit_callbacks
):
    inscription = InscriptionFactory()
    accueil = AccueilFactory(assistant_maternel=inscription.assistant_maternel, prenom_enfant="Lina")

    callbacks = _declarer(
        inscription,
        services.EnfantDeclare(accueil_id=accueil.pk, email_parent="Nadia@Exemple.fr"),
        callbacks_capture=django_capture_on_commit_callbacks,
    )
    enfant = EnfantConcerne.objects.get()
    tasks.inviter_parent(enfant.pk)  # as the worker would

    assert len(callbacks) == 1
    envoyer_en_attente()
    assert mail.outbox[-1].to == ["nadia@exemple.fr"]
    assert "Lina" in mail.outbox[-1].subject
    lien = next(ligne for ligne in mail.outbox[-1].body.splitlines() if "/formation/accueil-alternatif/" in ligne)
    client.force_login(UserFactory())
    page = client.get(lien.removeprefix("http://127.0.0.1:8000")).content.decode()
    assert "Demander un accueil pour Lina" in page
    assert f'value="{inscription.session.date_debut.isoformat()}"' in page


def test_l_invitation_n_est_envoyee_qu_une_fois_meme_si_la_tache_repasse():
    enfant = EnfantConcerneFactory()

    assert emails.inviter_parent(enfant_concerne_id=enfant.pk) is True
    assert emails.inviter_parent(enfant_concerne_id=enfant.pk) is False
    envoyer_en_attente()

    assert len(mail.outbox) == 1


def test_l_assmat_ne_peut_pas_declarer_un_enfant_absent_les_jours_de_formation(django_capture_on_commit_callbacks):
    inscription = InscriptionFactory()
    mercredi = AccueilFactory(assistant_maternel=inscription.assistant_maternel, jours=[2])  # sessions are Tuesdays

    with pytest.raises(services.ActionRefusee, match="pendant la formation"):
        services.declarer_enfants_concernes(
            inscription_id=inscription.pk,
            par=inscription.assistant_maternel.user,
            enfants=[services.EnfantDeclare(accueil_id=mercredi.pk)],
        )


def test_l_assmat_ne_peut_pas_declarer_l_enfant_d_une_collegue():
    inscription = InscriptionFactory()
    autre = AccueilFactory()

    with pytest.raises(services.ActionRefusee):
        services.declarer_enfants_concernes(
            inscription_id=inscription.pk,
            par=inscription.assistant_maternel.user,
            enfants=[services.EnfantDeclare(accueil_id=autre.pk)],
        )


def test_le_parent_depose_sa_demande_et_le_relais_est_prevenu(django_capture_on_commit_callbacks):
    enfant = EnfantConcerneFactory(accueil__prenom_enfant="Noé")
    parent = UserFactory(first_name="Nadia", last_name="Benali")
    session = enfant.inscription.session

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        demande = services.deposer_demande_alternative(
            jeton=jeton_pour_parent(enfant), par=parent, date_debut=session.date_debut, date_fin=session.date_fin
        )
    emails.notifier_relais_demande(demande_id=demande.pk)

    assert len(callbacks) == 1
    assert (demande.prenom_enfant, demande.parent, demande.canal, demande.relais) == (
        "Noé",
        parent,
        "en_ligne",
        session.relais,
    )
    envoyer_en_attente()
    assert [m.to for m in mail.outbox] == [[session.relais.email]]
    assert "Nadia Benali demande un accueil pour Noé" in mail.outbox[0].body


def test_un_lien_falsifie_ne_mene_a_rien():
    with pytest.raises(Http404):
        services.deposer_demande_alternative(jeton="faux", par=UserFactory(), date_debut=None, date_fin=None)


def test_une_seule_demande_par_enfant_concerne():
    demande = DemandeAlternativeFactory()
    session = demande.inscription.session

    with pytest.raises(services.ActionRefusee, match="déjà été déposée"):
        services.deposer_demande_alternative(
            jeton=jeton_pour_parent(demande.enfant_concerne),
            par=UserFactory(),
            date_debut=session.date_debut,
            date_fin=session.date_fin,
        )


def test_les_dates_demandees_doivent_etre_celles_de_la_formation():
    enfant = EnfantConcerneFactory()
    session = enfant.inscription.session

    with pytest.raises(services.ActionRefusee, match="comprises dans celles de la formation"):
        services.deposer_demande_alternative(
            jeton=jeton_pour_parent(enfant),
            par=UserFactory(),
            date_debut=session.date_debut,
            date_fin=session.date_fin + timedelta(days=1),
        )


def test_le_relais_enregistre_une_demande_telephonique():
    inscription = InscriptionFactory()
    animatrice = MembreRelaisFactory(relais=inscription.session.relais).user

    demande = services.enregistrer_demande_telephonique(
        par=animatrice,
        inscription_id=inscription.pk,
        prenom_enfant="Jade",
        nom_parent="Marc Dupuis",
        telephone_parent="0611223344",
        date_debut=inscription.session.date_debut,
        date_fin=inscription.session.date_fin,
    )

    assert (demande.canal, demande.enregistree_par, demande.parent) == ("telephone", animatrice, None)


def _assmat_libre(commune, **kwargs):
    assmat = AssistantMaternelFactory(commune=commune, **kwargs)
    AgrementFactory(assistant_maternel=assmat, capacite_totale=2, capacite_moins_3_ans=2)
    return assmat


def test_les_candidates_sont_les_assmats_du_relais_ayant_une_place_libre_ces_jours_la(client):
    demande = DemandeAlternativeFactory()
    commune = demande.relais.commune_siege
    libre = _assmat_libre(commune, nom="Libre")
    pleine = _assmat_libre(commune, nom="Pleine")
    AccueilFactory.create_batch(2, assistant_maternel=pleine)
    client.force_login(MembreRelaisFactory(relais=demande.relais).user)

    html = client.get(reverse("formation:demande_alternative", args=[demande.pk])).content.decode()

    assert f'value="{libre.pk}"' in html
    assert f'value="{pleine.pk}"' not in html
    # The childminder in training is never proposed to her own families.
    assert f'value="{demande.inscription.assistant_maternel_id}"' not in html


def test_une_assmat_elle_meme_en_formation_ces_jours_la_n_est_pas_proposee(client):
    demande = DemandeAlternativeFactory()
    commune = demande.relais.commune_siege
    en_formation = _assmat_libre(commune, nom="Enformation")
    InscriptionFactory(session=demande.inscription.session, assistant_maternel=en_formation)
    desinscrite = _assmat_libre(commune, nom="Desinscrite")
    InscriptionFactory(session=demande.inscription.session, assistant_maternel=desinscrite, annulee=True)
    animatrice = MembreRelaisFactory(relais=demande.relais).user
    client.force_login(animatrice)

    html = client.get(reverse("formation:demande_alternative", args=[demande.pk])).content.decode()

    assert f'value="{en_formation.pk}"' not in html
    assert f'value="{desinscrite.pk}"' in html
    with pytest.raises(services.ActionRefusee, match="en formation"):
        services.proposer_accueil_alternatif(
            demande_id=demande.pk, par=animatrice, type="assmat", assmat_id=en_formation.pk
        )


def test_le_relais_propose_une_assmat_et_le_parent_est_prevenu(django_capture_on_commit_callbacks):
    demande = DemandeAlternativeFactory()
    libre = _assmat_libre(demande.relais.commune_siege, prenom="Rose", nom="Vidal", telephone="0467000001")
    animatrice = MembreRelaisFactory(relais=demande.relais).user

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        proposition = services.proposer_accueil_alternatif(
            demande_id=demande.pk, par=animatrice, type="assmat", assmat_id=libre.pk
        )
    tasks.notifier_parent_proposition(proposition.pk)
    tasks.notifier_parent_proposition(proposition.pk)  # a retried job sends nothing twice

    demande.refresh_from_db()
    assert demande.statut == "proposee"
    assert len(callbacks) == 1
    envoyer_en_attente()
    assert [m.to for m in mail.outbox] == [[demande.email_parent]]
    assert "Rose Vidal" in mail.outbox[0].body
    assert "0467000001" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("email_parent", "annonce"),
    [
        ("nadia@exemple.fr", "le parent est prévenu par e-mail"),
        ("", "prévenez-le par téléphone (0611223344)"),
    ],
)
def test_la_page_ne_dit_le_parent_prevenu_par_e_mail_que_s_il_en_recoit_un(client, email_parent, annonce):
    demande = DemandeAlternativeFactory(telephone=True, email_parent=email_parent)
    libre = _assmat_libre(demande.relais.commune_siege)
    client.force_login(MembreRelaisFactory(relais=demande.relais).user)

    reponse = client.post(
        reverse("formation:demande_alternative", args=[demande.pk]),
        {"type": "assmat", "assmat": libre.pk},
        follow=True,
    )

    assert annonce in reponse.content.decode()


def test_le_relais_ne_peut_pas_proposer_une_assmat_sans_place():
    demande = DemandeAlternativeFactory()
    pleine = _assmat_libre(demande.relais.commune_siege)
    AccueilFactory.create_batch(2, assistant_maternel=pleine)

    with pytest.raises(services.ActionRefusee, match="pas de place libre"):
        services.proposer_accueil_alternatif(
            demande_id=demande.pk,
            par=MembreRelaisFactory(relais=demande.relais).user,
            type="assmat",
            assmat_id=pleine.pk,
        )


def test_le_relais_propose_une_halte_garderie_du_territoire():
    demande = DemandeAlternativeFactory()
    halte = StructureFactory(type="halte_garderie", commune=demande.relais.commune_siege)

    proposition = services.proposer_accueil_alternatif(
        demande_id=demande.pk,
        par=MembreRelaisFactory(relais=demande.relais).user,
        type="structure",
        structure_id=halte.pk,
    )

    assert proposition.structure == halte


def test_une_deuxieme_proposition_attend_la_reponse_a_la_premiere():
    proposition = PropositionFactory()

    with pytest.raises(services.TransitionInterdite):
        services.proposer_accueil_alternatif(
            demande_id=proposition.demande_id,
            par=MembreRelaisFactory(relais=proposition.demande.relais).user,
            type="autre",
            description="Une voisine agréée",
        )


def test_le_parent_accepte_la_proposition_avec_la_date_de_sa_reponse():
    proposition = PropositionFactory()

    services.repondre_proposition(proposition_id=proposition.pk, par=proposition.demande.parent, accepte=True)

    proposition.refresh_from_db()
    proposition.demande.refresh_from_db()
    assert (proposition.reponse, proposition.repondu_le is not None) == ("acceptee", True)
    assert proposition.demande.statut == DemandeAccueilAlternatif.Statut.ACCEPTEE


def test_apres_un_refus_le_relais_peut_proposer_autre_chose():
    proposition = PropositionFactory()
    services.repondre_proposition(proposition_id=proposition.pk, par=proposition.demande.parent, accepte=False)

    autre = services.proposer_accueil_alternatif(
        demande_id=proposition.demande_id,
        par=MembreRelaisFactory(relais=proposition.demande.relais).user,
        type="autre",
        description="Accueil chez une assistante maternelle de Jacou le mardi",
    )

    assert proposition.demande.propositions.count() == 2
    assert autre.reponse == "en_attente"


def test_un_autre_parent_ne_peut_pas_repondre_a_la_proposition():
    proposition = PropositionFactory()

    with pytest.raises(Http404):
        services.repondre_proposition(proposition_id=proposition.pk, par=UserFactory(), accepte=True)


# --- The declared table of transitions (DemandeAccueilAlternatif.TRANSITIONS) -----------------------------------

Statut = DemandeAccueilAlternatif.Statut
# A request in each status, with the proposal its status implies (a pending one for a « nouvelle » request too:
# the table, not the proposal, then refuses the answer).
PROPOSITIONS = {
    Statut.NOUVELLE: {"demande__statut": Statut.NOUVELLE},
    Statut.PROPOSEE: {},
    Statut.ACCEPTEE: {"demande__statut": Statut.ACCEPTEE, "acceptee": True},
    Statut.REFUSEE: {"demande__statut": Statut.REFUSEE, "refusee": True},
}
APPELS = {
    "proposer_accueil_alternatif": lambda p, animatrice: services.proposer_accueil_alternatif(
        demande_id=p.demande_id, par=animatrice, type="autre", description="Une voisine agréée"
    ),
    "repondre_proposition": lambda p, animatrice: services.repondre_proposition(
        proposition_id=p.pk, par=animatrice, accepte=True
    ),
}


def test_chaque_service_de_la_table_des_demandes_alternatives_a_son_appel_dans_ce_test():
    assert set(DemandeAccueilAlternatif.TRANSITIONS.values()) == set(APPELS)
    assert set(PROPOSITIONS) == set(Statut.values)


@pytest.mark.parametrize("statut", Statut.values)
def test_un_service_hors_de_la_table_est_refuse_et_le_relais_se_voit_proposer_ceux_de_la_table(statut):
    proposition = PropositionFactory(**PROPOSITIONS[statut])
    demande = proposition.demande
    animatrice = MembreRelaisFactory(relais=demande.relais).user
    declares = {nom for (de, _vers), nom in DemandeAccueilAlternatif.TRANSITIONS.items() if de == statut}

    assert selectors.actions_possibles(demande, animatrice) == declares
    for nom in sorted(set(APPELS) - declares):
        with pytest.raises(services.TransitionInterdite):
            APPELS[nom](proposition, animatrice)
    demande.refresh_from_db()
    assert demande.statut == statut


@pytest.mark.parametrize(("de", "vers"), sorted(DemandeAccueilAlternatif.TRANSITIONS))
def test_chaque_transition_de_la_table_se_fait_par_son_service(de, vers):
    # A « nouvelle » request has no proposal yet (one pending would block a new one).
    proposition = (
        PropositionFactory(**PROPOSITIONS[de])
        if de != Statut.NOUVELLE
        else PropositionFactory.build(demande=DemandeAlternativeFactory())
    )
    animatrice = MembreRelaisFactory(relais=proposition.demande.relais).user

    if vers == Statut.REFUSEE:
        services.repondre_proposition(proposition_id=proposition.pk, par=animatrice, accepte=False)
    else:
        APPELS[DemandeAccueilAlternatif.TRANSITIONS[(de, vers)]](proposition, animatrice)

    proposition.demande.refresh_from_db()
    assert proposition.demande.statut == vers


def test_le_parent_ne_se_voit_proposer_que_sa_reponse():
    proposition = PropositionFactory()

    assert selectors.actions_possibles(proposition.demande, proposition.demande.parent) == {"repondre_proposition"}
    assert selectors.actions_possibles(proposition.demande, UserFactory()) == set()
