"""The world of the object-level matrix (`tests/test_matrice_objets.py`) and its victims.

Relais X and relais Y share the Hérault; a third relais is in the Gard. parent_a (the victim family) has a request,
an alternative-childcare request and an active convention with the first childminder (`assmat`), all at relais X;
parent_b, assmat_b, animateur_y and agent_caf_autre (Gard) are the intruders, each the rightful user's double.

`monde` is the fixture every test of the matrix takes; the functions below put one of its objects in the state an
action needs (a request awaiting its appointment, a convention sent for signature…), for a row's `objet`.
A URL needing an object the world lacks: add it to `monde` as `m.<name>`, named with a word found nowhere else
and listed in SECRETS if its page must not leak it; a particular state: a function here.
"""

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from assmats.models import RelanceAffichage
from demandes.models import Mode, Proposition, RendezVous, Statut
from formation.models import DemandeAccueilAlternatif
from indicateurs.models import Calcul
from tests.assmats.factories import (
    AccueilFactory,
    EntretienFactory,
    SignalementFactory,
    StructureFactory,
    assmat_complete,
)
from tests.demandes.factories import DemandeFactory
from tests.factories import (
    AgentCafFactory,
    CommuneFactory,
    DepartementFactory,
    MembreRelaisFactory,
    RelaisFactory,
    UserFactory,
)
from tests.formation.factories import (
    DemandeAlternativeFactory,
    EnfantConcerneFactory,
    InscriptionFactory,
    PropositionFactory,
    SessionFactory,
    SouhaitFactory,
)
from tests.orientations.factories import MembrePartenaireFactory, orientation_de
from tests.tiers_payant.factories import ConventionFactory, premier_du_mois, releve
from tiers_payant import selectors as tp_selectors
from tiers_payant import services as tp_services
from tiers_payant.models import Statut as StatutConvention

# What nobody but the victim's family, childminder and relais may read. Every value is a word found nowhere else.
ENFANT, PARENT_A, ENFANT_ACCUEILLI, ENFANT_CONVENTION = "Zephyrin", "Victimaire", "Quenotte", "Perlette"
ASSMAT_A, ANIMATRICE_X = "Nounouche", "Xavierre"
RELAIS_X, COMMUNE_X, STRUCTURE_X = "Relais Xenon", "Victimeville", "Creche Xylophone"
# A second request of parent_a, closed without a solution: counted in the indicators, named on no CAF page.
ENFANT_SANS_SOLUTION = "Zoelie"
# The family France Travail referred to relais X.
FAMILLE_ORIENTEE = "Orientaline"


@pytest.fixture
def monde():
    herault = DepartementFactory()
    gard = DepartementFactory(code="30", nom="Gard", nom_caf="CAF du Gard")
    relais_x = RelaisFactory(nom=RELAIS_X, commune_siege=CommuneFactory(nom=COMMUNE_X, departement=herault))
    relais_y = RelaisFactory(nom="Relais Ytterbium", departement=herault)
    RelaisFactory(
        nom="Relais du Gardon",
        departement=gard,
        commune_siege=CommuneFactory(nom="Gardville", departement=gard, code_insee="30189", codes_postaux=["30000"]),
    )
    users = {
        "parent_a": UserFactory(first_name="Aurore", last_name=PARENT_A),
        "parent_b": UserFactory(first_name="Bruno", last_name="Intrusif"),
        "assmat": UserFactory(assmat=True, first_name="Vanille", last_name=ASSMAT_A),
        "assmat_b": UserFactory(assmat=True, first_name="Berthe", last_name="Curieuse"),
        "animateur_x": MembreRelaisFactory(relais=relais_x, user__last_name=ANIMATRICE_X).user,
        "animateur_y": MembreRelaisFactory(relais=relais_y).user,
        "agent_caf": AgentCafFactory(departement=herault).user,
        "agent_caf_autre": AgentCafFactory(departement=gard).user,
        # France Travail of relais X referred a family; another organisation, which refers to relais Y only, is the
        # intruder (it sees neither the referral nor relais X's communes).
        "partenaire": MembrePartenaireFactory(
            partenaire__nom="France Travail Xenon", partenaire__relais=[relais_x]
        ).user,
        "partenaire_b": MembrePartenaireFactory(partenaire__nom="CCAS Ytterbium", partenaire__relais=[relais_y]).user,
        # The person parent_a invited as second guardian of her request.
        "second_parent": UserFactory(email="second.parent@exemple.fr", last_name="Secondaire"),
    }
    m = SimpleNamespace(relais_x=relais_x, relais_y=relais_y, users=users)
    # Both childminders live on relais X's territory: only the object tells them apart.
    m.fiche_assmat = assmat_complete(user=users["assmat"], commune=relais_x.commune_siege)
    m.fiche_assmat_b = assmat_complete(user=users["assmat_b"], commune=relais_x.commune_siege)
    m.accueil = AccueilFactory(assistant_maternel=m.fiche_assmat, prenom_enfant=ENFANT_ACCUEILLI)
    AccueilFactory(assistant_maternel=m.fiche_assmat_b, prenom_enfant="Bambin")
    m.signalement = SignalementFactory(assistant_maternel=m.fiche_assmat)
    # Held an hour ago: an outcome can only be recorded once the interview has taken place.
    m.entretien = EntretienFactory(
        signalement=m.signalement, propose_par=users["animateur_x"], date_entretien=timezone.now() - timedelta(hours=1)
    )
    m.structure = StructureFactory(commune=relais_x.commune_siege, nom=STRUCTURE_X)
    m.relance = RelanceAffichage.objects.create(relais=relais_x, lancee_par=users["animateur_x"], destinataires=1)
    m.demande_a = DemandeFactory(
        relais=relais_x,
        parent=users["parent_a"],
        enfant_prenom=ENFANT,
        second_responsable_email="second.parent@exemple.fr",
    )
    # Closed without a solution this year: counted in relais X's unmet needs.
    DemandeFactory(relais=relais_x, parent=users["parent_a"], enfant_prenom=ENFANT_SANS_SOLUTION, sans_solution=True)
    m.souhait = SouhaitFactory(assistant_maternel=m.fiche_assmat)
    m.session_x = SessionFactory(relais=relais_x)
    m.inscription = InscriptionFactory(session=m.session_x, assistant_maternel=m.fiche_assmat)
    m.enfant_concerne = EnfantConcerneFactory(
        inscription=m.inscription, accueil=m.accueil, email_parent=users["parent_a"].email
    )
    m.demande_alternative = DemandeAlternativeFactory(enfant_concerne=m.enfant_concerne, parent=users["parent_a"])
    m.convention = ConventionFactory(
        active=True,
        # Started last month: a statement is declared once its month has ended.
        date_debut=premier_du_mois(premier_du_mois() - timedelta(days=1)),
        relais=relais_x,
        parent=users["parent_a"],
        assistant_maternel=m.fiche_assmat,
        created_by=users["animateur_x"],
        enfant_prenom=ENFANT_CONVENTION,
    )
    m.calcul = Calcul.objects.create(relais=relais_x, annee=timezone.localdate().year, demande_par=users["agent_caf"])
    m.orientation = orientation_de(users["partenaire"].membre_partenaire, nom=FAMILLE_ORIENTEE)
    return m


SECRETS = [
    ENFANT,
    PARENT_A,
    ENFANT_ACCUEILLI,
    ENFANT_CONVENTION,
    ASSMAT_A,
    ANIMATRICE_X,
    STRUCTURE_X,
    FAMILLE_ORIENTEE,
]


def secrets_du_monde(m) -> list[str]:
    return [*SECRETS, m.demande_a.reference, m.convention.reference]


# --- Victims that need a particular state ---------------------------------------------------------------------


def demande_au(statut: str) -> Callable:
    def objet(m):
        m.demande_a.statut = statut
        m.demande_a.prise_par = None if statut == Statut.NOUVELLE else m.users["animateur_x"]
        m.demande_a.save(update_fields=["statut", "prise_par"])
        return m.demande_a

    return objet


def demande_au_rendez_vous(dans_jours: int) -> Callable:
    """demande_a waiting for its appointment: a past one (its outcome can be noted) or a coming one."""

    def objet(m):
        demande = demande_au(Statut.RDV_PROPOSE)(m)
        RendezVous.objects.create(
            demande=demande,
            debut=timezone.now() + timedelta(days=dans_jours),
            modalite=RendezVous.Modalite.TELEPHONE,
            auteur=m.users["animateur_x"],
        )
        return demande

    return objet


def proposition_a_l_assmat(m):
    demande = demande_au(Statut.PROPOSITIONS_FAITES)(m)
    return Proposition.objects.create(
        demande=demande,
        mode=Mode.ASSMAT,
        description="Une assistante maternelle du quartier.",
        assistant_maternel=m.fiche_assmat,
        auteur=m.users["animateur_x"],
    )


def proposition_alternative(m):
    """A family answers a proposal only while its request is « proposée », as after the relais' proposal."""
    m.demande_alternative.statut = DemandeAccueilAlternatif.Statut.PROPOSEE
    m.demande_alternative.save(update_fields=["statut"])
    return PropositionFactory(demande=m.demande_alternative, propose_par=m.users["animateur_x"])


def inscription_a_une_session_commencee(m):
    """A departure is only recorded once the session has started."""
    session = SessionFactory(relais=m.relais_x, date_debut=timezone.localdate() - timedelta(days=1))
    return InscriptionFactory(session=session, assistant_maternel=m.fiche_assmat)


def session_partie(m):
    session = SessionFactory(relais=m.relais_x)
    return InscriptionFactory(session=session, assistant_maternel=m.fiche_assmat, partie=True)


def termes(m) -> tp_services.Termes:
    return tp_services.Termes.de(m.convention)


def convention_brouillon(m):
    return tp_services.preparer_convention(par=m.users["animateur_x"], termes=termes(m))


def convention_envoyee(m):
    brouillon = convention_brouillon(m)
    return tp_services.envoyer_pour_signature(convention_id=brouillon.pk, par=m.users["animateur_x"])


def convention_signee(m):
    convention = convention_envoyee(m)
    empreinte = tp_selectors.document_a_signer(convention).sha256
    for user in (m.users["agent_caf"], m.users["parent_a"], m.users["assmat"]):
        tp_services.signer_convention(convention_id=convention.pk, par=user, empreinte=empreinte)
    convention.refresh_from_db()
    assert convention.statut == StatutConvention.SIGNEE
    return convention


def releve_de_la_convention(m):
    return releve(m.convention)


def assmat_du_relais_y(m):
    return assmat_complete(user=UserFactory(assmat=True, last_name="Ygrecque"), commune=m.relais_y.commune_siege)
