"""The request's life, declared once (`Demande.TRANSITIONS`): each move is made by its service from its status, any
other (status, service) is refused with nothing changed, and each person is offered, on the page, the moves that are
theirs (`selectors.actions_possibles`)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from courriels.models import Email
from demandes import selectors, services
from demandes.models import (
    STATUTS_FERMES,
    Demande,
    HistoriqueDemande,
    Mode,
    Proposition,
    RendezVous,
    Statut,
    services_depuis,
)
from demandes.selectors import SERVICES_DE_LA_FAMILLE, SERVICES_DU_RELAIS
from tests.assmats.factories import AssistantMaternelFactory
from tests.demandes.conftest import donnees_valides
from tests.demandes.factories import RendezVousFactory, demande_au_statut
from tests.factories import MembreRelaisFactory, UserFactory

pytestmark = pytest.mark.django_db

MOUVEMENTS = sorted((de, vers, nom) for (de, vers), noms in Demande.TRANSITIONS.items() for nom in noms)


def _au_statut(statut, *, rendez_vous_dans=timedelta(hours=-1)):
    """A request in `statut`; waiting for its appointment, that appointment (by default, started an hour ago)."""
    demande = demande_au_statut(statut)
    if statut == Statut.RDV_PROPOSE:
        RendezVousFactory(demande=demande, debut=timezone.now() + rendez_vous_dans)
    return demande


def _animatrice(demande):
    return MembreRelaisFactory(relais=demande.relais).user


def _avant_le_rendez_vous(appel):
    """The family answers an appointment still to come: two hours ago, the one that started an hour ago was."""
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        return appel()


def _apres_le_delai_sans_reponse(appel):
    with time_machine.travel(timezone.now() + timedelta(days=61)):  # the relais' delay: 60 days
        return appel()


def _repondre_a_une_proposition(demande, animatrice):
    assmat = AssistantMaternelFactory()
    proposition = Proposition.objects.create(
        demande=demande, mode=Mode.ASSMAT, description="Mme Roux", assistant_maternel=assmat, auteur=animatrice
    )
    return services.repondre_proposition(proposition_id=proposition.pk, par=assmat.user, accepte=True)


# How each service of the table is called, `par` being the relais' animatrice or the family's parent.
APPELS = {
    "prendre_en_charge": lambda d, par: services.prendre_en_charge(demande_id=d.pk, par=par),
    "proposer_rendez_vous": lambda d, par: services.proposer_rendez_vous(
        demande_id=d.pk, par=par, debut=timezone.now() + timedelta(days=3), modalite="sur_place", lieu="Relais"
    ),
    "deplacer_rendez_vous": lambda d, par: services.deplacer_rendez_vous(
        demande_id=d.pk, par=par, debut=timezone.now() + timedelta(days=4), modalite="telephone"
    ),
    "annuler_rendez_vous": lambda d, par: services.annuler_rendez_vous(
        demande_id=d.pk, par=par, motif="Animatrice absente"
    ),
    "noter_rendez_vous_realise": lambda d, par: services.noter_rendez_vous_realise(demande_id=d.pk, par=par),
    "noter_famille_absente": lambda d, par: services.noter_famille_absente(demande_id=d.pk, par=par),
    "enregistrer_proposition": lambda d, par: services.enregistrer_proposition(
        demande_id=d.pk, par=par, mode="assmat", description="Mme Roux, Saint-Clément"
    ),
    "enregistrer_solution": lambda d, par: services.enregistrer_solution(
        demande_id=d.pk, par=par, mode="assmat", description="Chez Mme Roux dès septembre", hors_proposition="famille"
    ),
    "declarer_sans_solution": lambda d, par: services.declarer_sans_solution(
        demande_id=d.pk, par=par, motif="Aucune place sur la commune"
    ),
    "modifier": lambda d, par: services.modifier(demande_id=d.pk, par=par, donnees=donnees_valides(d.commune)),
    "retirer": lambda d, par: services.retirer(demande_id=d.pk, par=par, motif="Place trouvée seule"),
    "confirmer_rendez_vous": lambda d, par: _avant_le_rendez_vous(
        lambda: services.confirmer_rendez_vous(demande_id=d.pk, par=par)
    ),
    "demander_deplacement": lambda d, par: _avant_le_rendez_vous(
        lambda: services.demander_deplacement(demande_id=d.pk, par=par, message="Plutôt jeudi matin")
    ),
    # Nobody but the proposed childminder, nor the nightly job.
    "repondre_proposition": lambda d, par: _repondre_a_une_proposition(d, _animatrice(d)),
    "cloturer": lambda d, par: _apres_le_delai_sans_reponse(lambda: services.cloturer(demande_id=d.pk)),
}


def _qui_appelle(service, demande):
    return demande.parent if service in SERVICES_DE_LA_FAMILLE else _animatrice(demande)


def test_chaque_service_de_la_table_a_son_appel_dans_ce_test():
    assert {nom for noms in Demande.TRANSITIONS.values() for nom in noms} == set(APPELS)


@pytest.mark.parametrize(("de", "vers", "service"), MOUVEMENTS)
def test_chaque_mouvement_de_la_table_se_fait_par_son_service_et_s_inscrit_a_l_historique(de, vers, service):
    demande = _au_statut(de)

    APPELS[service](demande, _qui_appelle(service, demande))
    demande.refresh_from_db()

    assert demande.statut == vers
    assert list(demande.historique.values_list("de", "vers")) == [(de, vers)]


def _etat(demande):
    return (
        Demande.objects.values().get(pk=demande.pk),
        list(RendezVous.objects.filter(demande=demande).order_by("pk").values()),
        Proposition.objects.filter(demande=demande).exclude(reponse_assmat="").count(),
        HistoriqueDemande.objects.filter(demande=demande).count(),
        Email.objects.count(),
    )


@pytest.mark.parametrize("statut", Statut.values)
def test_un_service_hors_de_la_table_est_refuse_en_francais_et_rien_ne_change(statut):
    demande = _au_statut(statut)
    avant = _etat(demande)
    assert avant[3] == 0  # no history yet: a refusal must not write any

    for service in sorted(set(APPELS) - services_depuis(statut)):
        with pytest.raises(services.TransitionInterdite) as refus:
            APPELS[service](demande, _qui_appelle(service, demande))
        assert str(refus.value).startswith(("Action impossible", "Cette demande", "Un rendez-vous est déjà prévu"))
        assert _etat(demande) == avant, service


@pytest.mark.parametrize("statut", STATUTS_FERMES)
def test_la_famille_qui_retire_ou_modifie_une_demande_close_lit_qu_elle_est_close(statut):
    demande = _au_statut(statut)
    Demande.objects.filter(pk=demande.pk).update(prise_par=_animatrice(demande))  # followed by the relais
    demande.refresh_from_db()

    for service in ("retirer", "modifier"):
        with pytest.raises(services.TransitionInterdite) as refus:
            APPELS[service](demande, demande.parent)
        assert str(refus.value).startswith("Cette demande est close : "), service
        assert "prise en charge" not in str(refus.value), service


def test_un_retrait_envoye_deux_fois_dit_a_la_famille_que_sa_demande_est_deja_retiree(client):
    demande = _au_statut(Statut.PRISE_EN_CHARGE)
    client.force_login(demande.parent)
    adresse = reverse("demandes:retirer", args=[demande.pk])
    client.post(adresse, {"motif": "Place trouvée en crèche"})

    contenu = client.post(adresse, {"motif": "Place trouvée en crèche"}, follow=True).content.decode()

    assert f"Cette demande est close : elle a été retirée le {timezone.localdate():%d/%m/%Y}" in contenu
    assert "déjà été prise en charge" not in contenu


MOUVEMENTS_D_UNE_PERSONNE = [
    (de, nom) for de, _vers, nom in MOUVEMENTS if nom in SERVICES_DU_RELAIS | SERVICES_DE_LA_FAMILLE
]


@pytest.mark.parametrize(("de", "service"), MOUVEMENTS_D_UNE_PERSONNE)
def test_l_equipe_ne_fait_pas_les_mouvements_de_la_famille_ni_la_famille_ceux_de_l_equipe(de, service):
    demande = _au_statut(de)
    autre = _animatrice(demande) if service in SERVICES_DE_LA_FAMILLE else demande.parent

    with pytest.raises(PermissionDenied):
        APPELS[service](demande, autre)
    demande.refresh_from_db()
    assert demande.statut == de
    assert not demande.historique.exists()


# What the page offers each person, status by status: (the relais' team, the family).
OFFERT = {
    Statut.NOUVELLE: ({"prendre_en_charge"}, {"modifier", "retirer"}),
    Statut.PRISE_EN_CHARGE: ({"proposer_rendez_vous", "declarer_sans_solution"}, {"modifier", "retirer"}),
    Statut.RDV_PROPOSE: (
        {
            "deplacer_rendez_vous",
            "annuler_rendez_vous",
            "noter_rendez_vous_realise",
            "noter_famille_absente",
            "declarer_sans_solution",
        },
        {"modifier", "retirer", "confirmer_rendez_vous", "demander_deplacement"},
    ),
    Statut.RDV_REALISE: ({"enregistrer_proposition", "declarer_sans_solution"}, {"modifier", "retirer"}),
    Statut.PROPOSITIONS_FAITES: (
        {"enregistrer_proposition", "enregistrer_solution", "declarer_sans_solution"},
        {"modifier", "retirer"},
    ),
    Statut.SOLUTION_TROUVEE: (set(), set()),
    Statut.SANS_SOLUTION: (set(), set()),
    Statut.RETIREE: (set(), set()),
    Statut.CLOTUREE: (set(), set()),
}


@pytest.mark.parametrize("statut", Statut.values)
def test_chacun_se_voit_proposer_les_mouvements_de_la_table_qui_sont_les_siens(statut):
    demande = _au_statut(statut)
    demande.second_responsable = UserFactory()
    equipe, famille = OFFERT[statut]

    assert selectors.actions_possibles(demande, _animatrice(demande)) == equipe
    assert selectors.actions_possibles(demande, demande.parent) == famille
    assert selectors.actions_possibles(demande, demande.second_responsable) == famille
    assert selectors.actions_possibles(demande, UserFactory()) == set()


def test_l_assistante_maternelle_proposee_repond_tant_que_la_demande_est_ouverte_et_une_seule_fois():
    demande = _au_statut(Statut.PROPOSITIONS_FAITES)
    assmat, autre = AssistantMaternelFactory(), AssistantMaternelFactory()
    proposition = Proposition.objects.create(
        demande=demande, mode=Mode.ASSMAT, description="Mme Roux", assistant_maternel=assmat, auteur=demande.prise_par
    )

    assert selectors.actions_possibles(demande, assmat.user) == {"repondre_proposition"}
    assert selectors.actions_possibles(demande, autre.user) == set()
    services.repondre_proposition(proposition_id=proposition.pk, par=assmat.user, accepte=False)
    assert selectors.actions_possibles(demande, assmat.user) == set()


def test_la_page_des_propositions_de_l_assistante_maternelle_suit_la_table(client, monkeypatch):
    demande = _au_statut(Statut.PROPOSITIONS_FAITES)
    assmat = AssistantMaternelFactory()
    proposition = Proposition.objects.create(
        demande=demande, mode=Mode.ASSMAT, description="Mme Roux", assistant_maternel=assmat, auteur=demande.prise_par
    )
    client.force_login(assmat.user)
    formulaire = f'action="{reverse("demandes:repondre_proposition", args=[proposition.pk])}"'
    assert formulaire in client.get(reverse("demandes:propositions_assmat")).content.decode()
    # Were the table to stop letting her answer an open request, the page would follow it.
    sans_reponse = {
        mouvement: tuple(n for n in noms if n != "repondre_proposition")
        for mouvement, noms in Demande.TRANSITIONS.items()
    }
    monkeypatch.setattr(Demande, "TRANSITIONS", sans_reponse)

    assert formulaire not in client.get(reverse("demandes:propositions_assmat")).content.decode()


# The address each action's form posts to (or, to withdraw, its page).
ADRESSES = {
    "prendre_en_charge": "demandes:prendre",
    "proposer_rendez_vous": "demandes:rendez_vous",
    "deplacer_rendez_vous": "demandes:deplacer_rendez_vous",
    "annuler_rendez_vous": "demandes:annuler_rendez_vous",
    "noter_rendez_vous_realise": "demandes:constater",
    "noter_famille_absente": "demandes:constater",
    "enregistrer_proposition": "demandes:proposition",
    "enregistrer_solution": "demandes:solution",
    "declarer_sans_solution": "demandes:sans_solution",
    "modifier": "demandes:modifier",
    "retirer": "demandes:retirer",
    "confirmer_rendez_vous": "demandes:confirmer_rendez_vous",
    "demander_deplacement": "demandes:deplacement_souhaite",
}


def _actions_de_la_page(client, demande) -> set[str]:
    contenu = client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()
    return {nom for nom, adresse in ADRESSES.items() if f'"{reverse(adresse, args=[demande.pk])}"' in contenu}


@pytest.mark.parametrize("statut", Statut.values)
def test_la_page_de_l_equipe_montre_les_actions_possibles_et_elles_seules(client, statut):
    demande = _au_statut(statut)  # an appointment that has started: its outcome is to be noted
    animatrice = _animatrice(demande)
    client.force_login(animatrice)

    assert _actions_de_la_page(client, demande) == selectors.actions_possibles(demande, animatrice)


@pytest.mark.parametrize("statut", Statut.values)
def test_la_page_de_la_famille_montre_les_actions_possibles_et_elles_seules(client, statut):
    demande = _au_statut(statut, rendez_vous_dans=timedelta(days=2))  # to come: the family answers it
    client.force_login(demande.parent)

    assert _actions_de_la_page(client, demande) == selectors.actions_possibles(demande, demande.parent)
