"""Object-level permissions: every URL that names an object, opened by someone who has the right role but not
the right object.

`tests/test_matrice_permissions.py` checks every URL × every role with relais X's objects, by GET only, so a
POST-only action answers 405 there whatever its object. Here each URL taking an id or a token has its intruders:

- another family (parent_b on parent_a's request, convention, statement, alternative-childcare request);
- another relais (animateur_y, same département, on relais X's objects);
- another childminder (assmat_b, on the same territory, on the first childminder's objects);
- a CAF agent of another département (agent_caf_autre, Gard) on relais X's objects (Hérault).

Each intruder gets a 404 on GET and on POST — as if the object did not exist; the app's one exception is the
invitation link, refused with a 403 — with data the rightful user would succeed with (checked by
`test_le_proprietaire_reussit_avec_les_memes_donnees`), the database unchanged, and no victim's data in the page.
List pages: the intruder's list holds none of the victim's objects, while the rightful user's list does.

Adding a URL with kwargs without its entry in CIBLES (or a reason in SANS_INTRUS) fails
`test_chaque_url_a_objet_a_ses_intrus`.

The world (users, relais, the victims' objects, the words their pages must not leak) is built by the `monde`
fixture of `tests/matrice/monde.py`. To add a URL's intruders:

- a URL naming an object: one row in CIBLES, `"app:name": Cible(objet, intrus, proprietaire, donnees)` — `objet`
  takes the world `m` and returns the victim (`lambda m: m.convention`, or a function of `tests/matrice/monde.py`
  putting it in the state the action needs), `intrus` maps each intruder to its (GET, POST) statuses (`_lire(...)`
  for a read-only page, `_agir(...)` for a POST-only action), `proprietaire` is who succeeds with the same
  `donnees`; a URL naming nothing anyone could take: a reason in SANS_INTRUS;
- a list page: one row in LISTES, `(name, Liste(intruder, rightful user, the victim's words))`;
- an id in the query string or the form: one row in TENTATIVES;
- a page a CAF agent opens: one row in PAGES_DE_LA_CAF (no child's name or birth date in it), or a reason in
  SANS_ENFANT_POUR_LA_CAF (`test_chaque_page_ouverte_a_la_caf_est_parcourue` fails otherwise).

An object the world lacks goes into `monde` (`m.<name>`), named with a word found nowhere else.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.urls import URLResolver, get_resolver, reverse
from django.utils import formats, timezone

from assmats.forms import AccueilForm, StructureForm
from assmats.permissions import assmats_for_user
from audit.models import AuditLog
from demandes.models import Mode, Statut
from demandes.services import jeton_invitation
from formation.forms import SessionForm
from formation.liens import jeton_pour_parent
from indicateurs.selectors import NATURE
from indicateurs.services import enregistrer_indicateurs
from relais.permissions import communes_for_user, relais_for_user
from tests.insertion import matrice as insertion_matrice
from tests.matrice.monde import (
    ANIMATRICE_X,
    ASSMAT_A,
    COMMUNE_X,
    ENFANT,
    ENFANT_ACCUEILLI,
    ENFANT_CONVENTION,
    ENFANT_SANS_SOLUTION,
    FAMILLE_ORIENTEE,
    PARENT_A,
    RELAIS_X,
    STRUCTURE_X,
    assmat_du_relais_y,
    convention_brouillon,
    convention_envoyee,
    convention_signee,
    demande_au,
    demande_au_rendez_vous,
    inscription_a_une_session_commencee,
    proposition_a_l_assmat,
    proposition_alternative,
    releve_de_la_convention,
    secrets_du_monde,
    session_partie,
)
from tests.pdf import texte_du_pdf
from tests.test_matrice_permissions import MATRICE
from tiers_payant import selectors as tp_selectors
from tiers_payant import services as tp_services
from tiers_payant.forms import ConventionForm
from tiers_payant.permissions import parents_for_user

pytestmark = pytest.mark.django_db
# The `monde` fixture every test here takes.
pytest_plugins = ["tests.matrice.monde"]


# --- POST data the rightful user succeeds with ----------------------------------------------------------------


def donnees_du_formulaire(form, **changements) -> dict:
    """What the browser would post back for an unbound form, with some fields changed."""
    donnees = {}
    for nom, champ in form.fields.items():
        valeur = form[nom].value()
        if valeur is None or valeur is False:
            continue
        if hasattr(valeur, "pk"):
            valeur = valeur.pk
        elif isinstance(valeur, list | tuple):
            valeur = [getattr(v, "pk", v) for v in valeur]
        elif champ.widget.__class__.__name__ in ("DateInput", "TimeInput") and hasattr(valeur, "strftime"):
            valeur = champ.widget.format_value(valeur)
        donnees[nom] = valeur
    return donnees | changements


def _dans(jours: int) -> str:
    return (timezone.localdate() + timedelta(days=jours)).isoformat()


def _convention_modifiee(m, convention):
    form = ConventionForm(initial=ConventionForm.initial_de(convention), **_choix_de_convention(m))
    return donnees_du_formulaire(form, heures_mensuelles="100")


def _choix_de_convention(m):
    """The choices the convention form offers relais X's animatrice."""
    user = m.users["animateur_x"]
    return {
        "relais": relais_for_user(user),
        "communes": communes_for_user(user),
        "assmats": assmats_for_user(user),
        "parents": parents_for_user(user),
    }


# --- The targets ----------------------------------------------------------------------------------------------

NON = None  # no POST: a read-only page


@dataclass
class Cible:
    """An object URL, its victim object, and what each intruder gets: (GET status, POST status or NON)."""

    objet: Callable[[SimpleNamespace], Any]
    intrus: dict[str, tuple[int, int | None]]
    # Who may do it, for the control that the POST data is valid; None for read-only pages.
    proprietaire: str | None = None
    donnees: Callable[[SimpleNamespace, Any], dict] = field(default=lambda m, objet: {})
    kwargs: Callable[[SimpleNamespace, Any], dict] = field(default=lambda m, objet: {"pk": objet.pk})
    # The action is a GET (a link in an e-mail), not a POST.
    par_get: bool = False


def _lire(*intrus: str) -> dict:
    return dict.fromkeys(intrus, (404, NON))


def _agir(*intrus: str, get: int = 405) -> dict:
    """POST-only actions answer 405 to GET before they look at the object; both refuse the POST with a 404."""
    return dict.fromkeys(intrus, (get, 404))


AUTRES_RELAIS = ("animateur_y", "agent_caf_autre")
DEMANDE = lambda m: m.demande_a  # noqa: E731
CONVENTION = lambda m: m.convention  # noqa: E731
ACTIONS_DU_RELAIS = {
    "prendre": (Statut.NOUVELLE, lambda m, o: {}),
    "rendez_vous": (
        Statut.PRISE_EN_CHARGE,
        lambda m, o: {"date": _dans(7), "heure": "10:00", "duree_minutes": 45, "modalite": "telephone"},
    ),
    "constater": (demande_au_rendez_vous(-1), lambda m, o: {"issue": "realise", "note": "Rendez-vous tenu."}),
    "deplacer_rendez_vous": (
        demande_au_rendez_vous(7),
        lambda m, o: {
            "deplacer-date": _dans(9),
            "deplacer-heure": "14:00",
            "deplacer-duree_minutes": 45,
            "deplacer-modalite": "telephone",
        },
    ),
    "annuler_rendez_vous": (demande_au_rendez_vous(7), lambda m, o: {"annulation-motif": "Animatrice malade."}),
    "proposition": (Statut.RDV_REALISE, lambda m, o: {"mode": Mode.ASSMAT, "description": "Une assmat voisine."}),
    "solution": (
        Statut.PROPOSITIONS_FAITES,
        lambda m, o: {
            "solution-mode": Mode.ASSMAT,
            "solution-description": "Chez une assmat du quartier.",
            "solution-hors_proposition": "famille",
        },
    ),
    "sans_solution": (Statut.PRISE_EN_CHARGE, lambda m, o: {"motif": "Aucune place."}),
    "note": (Statut.PRISE_EN_CHARGE, lambda m, o: {"texte": "Note sur la famille."}),
    "proposer_offre": (Statut.RDV_REALISE, lambda m, o: {"assistant_maternel_id": m.fiche_assmat.pk}),
}

CIBLES: dict[str, Cible] = {
    **{
        f"insertion:{action}": Cible(objet, _agir("animateur_y"), "animateur_x", donnees)
        for action, (objet, donnees) in insertion_matrice.ACTIONS.items()
    },
    # --- relais
    "relais:equipe": Cible(lambda m: m.relais_x, _lire(*AUTRES_RELAIS)),
    # --- assmats: the childminder's own children in care
    "assmats:accueil_modifier": Cible(
        lambda m: m.accueil,
        {"assmat_b": (404, 404)},
        "assmat",
        lambda m, o: donnees_du_formulaire(AccueilForm(instance=o), prenom_enfant="Renomme"),
    ),
    "assmats:accueil_supprimer": Cible(lambda m: m.accueil, _agir("assmat_b"), "assmat"),
    # --- assmats: staff
    "assmats:fiche": Cible(lambda m: m.fiche_assmat, _lire(*AUTRES_RELAIS)),
    "assmats:avip": Cible(
        lambda m: m.fiche_assmat,
        _agir("agent_caf_autre"),
        "agent_caf",
        lambda m, o: {"date": timezone.localdate().isoformat()},
    ),
    "assmats:relance": Cible(lambda m: m.relance, _lire("animateur_y")),
    "assmats:proposer_entretien": Cible(
        lambda m: m.signalement,
        {"animateur_y": (404, 404)},
        "animateur_x",
        lambda m, o: {
            "type": "individuel",
            "date_entretien": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    ),
    "assmats:issue_entretien": Cible(
        lambda m: m.entretien, _agir("animateur_y"), "animateur_x", lambda m, o: {"issue": "realise"}
    ),
    "assmats:structure": Cible(
        lambda m: m.structure,
        {"animateur_y": (404, 404), "agent_caf_autre": (404, 404)},
        "animateur_x",
        lambda m, o: donnees_du_formulaire(StructureForm(instance=o), nom="Creche renommee"),
    ),
    # --- formation: the childminder
    "formation:retirer_souhait": Cible(lambda m: m.souhait, _agir("assmat_b"), "assmat"),
    "formation:enfants_concernes": Cible(
        lambda m: m.inscription,
        {"assmat_b": (404, 404)},
        "assmat",
        lambda m, o: {f"enfant_{m.accueil.pk}": "on", f"email_{m.accueil.pk}": "autre.adresse@exemple.fr"},
    ),
    "formation:annuler_inscription": Cible(lambda m: m.inscription, _agir("assmat_b", "animateur_y"), "assmat"),
    # --- formation: the parent
    "formation:demande_parent": Cible(
        # The link parent_a received, already used: another parent holding it files nothing and changes nothing.
        lambda m: m.enfant_concerne,
        {"parent_b": (302, 302)},
        kwargs=lambda m, o: {"jeton": jeton_pour_parent(o)},
        donnees=lambda m, o: {
            "date_debut": o.inscription.session.date_debut.isoformat(),
            "date_fin": o.inscription.session.date_fin.isoformat(),
        },  # fmt: skip
    ),
    "formation:repondre_proposition": Cible(
        proposition_alternative,
        _agir("parent_b", "animateur_y"),
        "parent_a",
        lambda m, o: {"reponse": "acceptee"},
    ),
    # --- formation: the relais
    "formation:session": Cible(lambda m: m.session_x, _lire("animateur_y")),
    "formation:session_modifier": Cible(
        lambda m: m.session_x,
        {"animateur_y": (404, 404)},
        "animateur_x",
        lambda m, o: donnees_du_formulaire(
            SessionForm(instance=o, user=m.users["animateur_x"]), intitule="Intitule change"
        ),
    ),
    "formation:inscrire": Cible(
        lambda m: m.session_x, _agir("animateur_y"), "animateur_x", lambda m, o: {"assmat": m.fiche_assmat_b.pk}
    ),
    "formation:marquer_partie": Cible(inscription_a_une_session_commencee, _agir("animateur_y"), "animateur_x"),
    "formation:marquer_suivie": Cible(session_partie, _agir("animateur_y"), "animateur_x"),
    "formation:demande_alternative": Cible(
        lambda m: m.demande_alternative,
        {"animateur_y": (404, 404)},
        "animateur_x",
        lambda m, o: {"type": "autre", "description": "Halte-garderie le mardi."},
    ),
    # --- tiers payant
    **{
        f"tiers_payant:{nom}": Cible(CONVENTION, _lire("parent_b", "assmat_b", *AUTRES_RELAIS))
        for nom in ["convention", "pdf"]
    },
    "tiers_payant:releves": Cible(
        CONVENTION,
        dict.fromkeys(["parent_b", "assmat_b", *AUTRES_RELAIS], (404, 404)),
        "assmat",
        lambda m, o: {
            "mois": o.date_debut.strftime("%Y-%m"),
            "heures": "100",
            "salaire_horaire": str(o.salaire_horaire),
            "indemnites": "0",
        },
    ),
    "tiers_payant:modifier": Cible(
        convention_brouillon,
        dict.fromkeys(AUTRES_RELAIS, (404, 404)),
        "animateur_x",
        _convention_modifiee,
    ),
    "tiers_payant:envoyer": Cible(convention_brouillon, _agir(*AUTRES_RELAIS), "animateur_x"),
    "tiers_payant:signer": Cible(
        convention_envoyee,
        _agir("parent_b", "assmat_b", "agent_caf_autre"),
        "parent_a",
        lambda m, o: {"empreinte": tp_selectors.document_a_signer(o).sha256},
    ),
    "tiers_payant:activer": Cible(convention_signee, _agir("agent_caf_autre"), "agent_caf"),
    "tiers_payant:terminer": Cible(
        CONVENTION, _agir(*AUTRES_RELAIS), "animateur_x", lambda m, o: {"note": "Fin de l'accueil."}
    ),
    "tiers_payant:resilier": Cible(
        CONVENTION,
        dict.fromkeys(AUTRES_RELAIS, (404, 404)),
        "animateur_x",
        lambda m, o: {"motif": "Déménagement de la famille."},
    ),
    "tiers_payant:confirmer_releve": Cible(releve_de_la_convention, _agir("parent_b"), "parent_a"),
    "tiers_payant:contester_releve": Cible(
        releve_de_la_convention, {"parent_b": (404, 404)}, "parent_a", lambda m, o: {"motif": "Heures inexactes."}
    ),
    # --- demandes: the family
    "demandes:confirmation": Cible(DEMANDE, _lire("parent_b")),
    "demandes:modifier": Cible(DEMANDE, _agir("parent_b"), "parent_a"),
    "demandes:retirer": Cible(
        DEMANDE, {"parent_b": (404, 404)}, "parent_a", lambda m, o: {"motif": "Nous avons trouvé une place."}
    ),
    # The invitation is a link followed by GET; the app refuses someone else's link with a 403.
    "demandes:invitation": Cible(
        DEMANDE,
        {"parent_b": (403, NON)},
        "second_parent",
        kwargs=lambda m, o: {"jeton": jeton_invitation(o)},
        par_get=True,
    ),
    "demandes:detail": Cible(DEMANDE, _lire("parent_b", "animateur_y")),
    # --- demandes: the relais
    **{
        f"demandes:{action}": Cible(
            statut if callable(statut) else demande_au(statut), _agir("animateur_y"), "animateur_x", donnees
        )
        for action, (statut, donnees) in ACTIONS_DU_RELAIS.items()
    },
    # --- demandes: the family's coming appointment
    "demandes:agenda": Cible(demande_au_rendez_vous(7), _lire("parent_b", "animateur_y")),
    "demandes:confirmer_rendez_vous": Cible(demande_au_rendez_vous(7), _agir("parent_b"), "parent_a"),
    "demandes:deplacement_souhaite": Cible(
        demande_au_rendez_vous(7), _agir("parent_b"), "parent_a", lambda m, o: {"message": "Plutôt un mardi."}
    ),
    "demandes:mise_en_relation": Cible(DEMANDE, _lire("animateur_y")),
    "demandes:repondre_proposition": Cible(
        proposition_a_l_assmat, _agir("assmat_b"), "assmat", lambda m, o: {"reponse": "oui"}
    ),
    # --- orientations: another partner organisation, on the relais' own territory or not
    "orientations:detail": Cible(lambda m: m.orientation, _lire("partenaire_b")),
    # --- indicateurs
    **{f"indicateurs:{nom}": Cible(lambda m: m.relais_x, _lire(*AUTRES_RELAIS)) for nom in ["relais", "rapport_pdf"]},
    "indicateurs:detail": Cible(
        lambda m: m.relais_x,
        _lire(*AUTRES_RELAIS),
        kwargs=lambda m, o: {"pk": o.pk, "code": "m1_demandes_en_ligne"},
    ),
    "indicateurs:engagement": Cible(
        lambda m: m.relais_x,
        {"agent_caf_autre": (404, 404)},
        "agent_caf",
        lambda m, o: {"missions": ["1", "2"], "mission_retenue": "1"},
    ),
    "indicateurs:recalculer": Cible(lambda m: m.relais_x, _agir("agent_caf_autre"), "agent_caf"),
    "indicateurs:calcul": Cible(lambda m: m.calcul, _lire(*AUTRES_RELAIS)),
    "indicateurs:departement": Cible(lambda m: m.relais_x.departement, _lire("agent_caf_autre")),
    "indicateurs:recalculer_departement": Cible(
        lambda m: m.relais_x.departement, _agir("agent_caf_autre"), "agent_caf"
    ),
}

# URLs with kwargs that name nothing an intruder could take from someone.
SANS_INTRUS = {
    "relais:fiche": "public directory of the relais",
    "assmats:ecrire_via_le_relais": "a childminder of the public search, written to through her relais without "
    "seeing her contacts; one not shown publicly answers 404 (tests/assmats/test_recherche.py)",
    "formation:calendrier_ics": "public feed of a relais' sessions, names no person",
    "formation:organisme_modifier": "training bodies form one directory shared by every relais",
    "formation:demander_inscription": "every session is open to every childminder, who enrols herself",
    "demandes:etape": "a step of the logged-in parent's own draft, not an object",
    # allauth's own signed keys; forged ones are in the permission matrix.
    "account_reset_password_from_key": "allauth key",
    "account_confirm_email": "allauth key",
}


# --- The database, before and after ---------------------------------------------------------------------------


def empreinte_de_la_base() -> dict:
    """Every row of every table but two: a page view may touch the session, and the audit trail records
    attempts too (a refused write that answered a redirect)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model not in (Session, AuditLog) and model._meta.managed and not model._meta.proxy
    }


def differences(avant: dict, apres: dict) -> list[str]:
    return [label for label in avant if avant[label] != apres[label]]


def fuites(reponse, secrets: list[str]) -> list[str]:
    if reponse.get("Content-Type", "").startswith("application/pdf") or reponse.streaming:
        return []  # compressed bytes: the status code says enough
    contenu = reponse.content.decode("utf-8", errors="replace")
    return [secret for secret in secrets if secret in contenu]


# --- Completeness ---------------------------------------------------------------------------------------------


def _urls_a_kwargs(resolver=None, namespace="", parametres=False):
    for pattern in (resolver or get_resolver()).url_patterns:
        a_des_parametres = (
            parametres
            or bool(getattr(pattern.pattern, "converters", None))
            or bool(getattr(getattr(pattern.pattern, "regex", None), "groups", 0))
        )
        if isinstance(pattern, URLResolver):
            prefixe = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _urls_a_kwargs(pattern, prefixe, a_des_parametres)
        elif pattern.name and a_des_parametres:
            yield namespace + pattern.name


def test_chaque_url_a_objet_a_ses_intrus():
    # The Django admin checks its own permissions (tests/test_matrice_permissions.py: admins only).
    noms = {nom for nom in _urls_a_kwargs() if not nom.startswith("admin:")}

    assert noms - CIBLES.keys() - SANS_INTRUS.keys() == set(), "URL à objet sans cas d'intrusion"
    assert (CIBLES.keys() | SANS_INTRUS.keys()) - noms == set(), "cas pour une URL qui n'existe plus ou sans objet"
    assert CIBLES.keys() & SANS_INTRUS.keys() == set()


# --- The intruders --------------------------------------------------------------------------------------------

CAS = [(nom, intrus) for nom, cible in CIBLES.items() for intrus in cible.intrus]


@pytest.mark.parametrize(("nom", "intrus"), CAS, ids=[f"{nom}-{intrus}" for nom, intrus in CAS])
def test_un_intrus_ne_voit_ni_ne_change_l_objet(client, monde, nom, intrus):
    cible = CIBLES[nom]
    objet = cible.objet(monde)
    url = reverse(nom, kwargs=cible.kwargs(monde, objet))
    donnees = cible.donnees(monde, objet)
    attendu_get, attendu_post = cible.intrus[intrus]
    client.force_login(monde.users[intrus])
    avant = empreinte_de_la_base()

    reponse = client.get(url)
    assert reponse.status_code == attendu_get
    assert fuites(reponse, secrets_du_monde(monde)) == []
    if attendu_post is not None:
        reponse = client.post(url, donnees)
        assert reponse.status_code == attendu_post
        assert fuites(reponse, secrets_du_monde(monde)) == []

    assert differences(avant, empreinte_de_la_base()) == []


AVEC_PROPRIETAIRE = sorted(nom for nom, cible in CIBLES.items() if cible.proprietaire)


@pytest.mark.parametrize("nom", AVEC_PROPRIETAIRE)
def test_le_proprietaire_reussit_avec_les_memes_donnees(client, monde, nom):
    """So that an intruder's refusal comes from the permission, not from data the form would reject."""
    cible = CIBLES[nom]
    objet = cible.objet(monde)
    url = reverse(nom, kwargs=cible.kwargs(monde, objet))
    donnees = cible.donnees(monde, objet)
    client.force_login(monde.users[cible.proprietaire])
    avant = empreinte_de_la_base()

    reponse = client.get(url) if cible.par_get else client.post(url, donnees)

    assert reponse.status_code == 302
    erreurs = [str(m) for m in get_messages(reponse.wsgi_request) if m.level_tag == "error"]
    assert erreurs == []
    assert differences(avant, empreinte_de_la_base()) != []


# --- Lists ----------------------------------------------------------------------------------------------------


@dataclass
class Liste:
    intrus: str
    temoin: str  # the rightful user, whose page shows what the intruder's must not
    secrets: Callable[[SimpleNamespace], list[str]]
    parametres: Callable[[SimpleNamespace], dict] = field(default=lambda m: {})
    # What must happen first for the page to have something to show (through the client, as a user would).
    avant: Callable[[SimpleNamespace, Any], None] = field(default=lambda m, client: None)


FAMILLE_A = lambda m: [ENFANT, m.demande_a.reference]  # noqa: E731
CONVENTION_A = lambda m: [ENFANT_CONVENTION, m.convention.reference]  # noqa: E731
DU_RELAIS_X = lambda m: [RELAIS_X]  # noqa: E731


def _l_animatrice_ouvre_la_demande(m, client):
    client.force_login(m.users["animateur_x"])
    assert client.get(reverse("demandes:detail", args=[m.demande_a.pk])).status_code == 200


def _releve_confirme(m, client):
    client.force_login(m.users["parent_a"])
    reponse = client.post(reverse("tiers_payant:confirmer_releve", args=[releve_de_la_convention(m).pk]))
    assert reponse.status_code == 302


MOIS_DU_RELEVE = lambda m: {"mois": m.convention.date_debut.strftime("%Y-%m")}  # noqa: E731

LISTES = [
    ("demandes:file", Liste("animateur_y", "animateur_x", FAMILLE_A)),
    ("demandes:mes_demandes", Liste("parent_b", "parent_a", FAMILLE_A)),
    ("tiers_payant:conventions", Liste("parent_b", "parent_a", CONVENTION_A)),
    ("tiers_payant:conventions", Liste("assmat_b", "assmat", CONVENTION_A)),
    ("tiers_payant:conventions", Liste("animateur_y", "animateur_x", CONVENTION_A)),
    # The CAF's list names the convention, not the child (data minimisation).
    ("tiers_payant:conventions", Liste("agent_caf_autre", "agent_caf", lambda m: [m.convention.reference])),
    ("formation:mes_demandes", Liste("parent_b", "parent_a", lambda m: [ENFANT_ACCUEILLI])),
    ("formation:demandes", Liste("animateur_y", "animateur_x", lambda m: [ENFANT_ACCUEILLI, PARENT_A])),
    ("formation:sessions", Liste("animateur_y", "animateur_x", lambda m: [m.session_x.intitule])),
    ("formation:mes_formations", Liste("assmat_b", "assmat", lambda m: [m.session_x.intitule])),
    (
        "demandes:propositions_assmat",
        Liste(
            "assmat_b",
            "assmat",
            lambda m: [reverse("demandes:repondre_proposition", args=[proposition_a_l_assmat(m).pk])],
        ),
    ),
    ("assmats:accueils", Liste("assmat_b", "assmat", lambda m: [ENFANT_ACCUEILLI])),
    ("assmats:liste", Liste("agent_caf_autre", "agent_caf", lambda m: [ASSMAT_A])),
    ("assmats:liste", Liste("animateur_y", "animateur_x", lambda m: [ASSMAT_A])),
    ("assmats:sous_activites", Liste("agent_caf_autre", "agent_caf", lambda m: [ASSMAT_A])),
    ("assmats:sous_activites", Liste("animateur_y", "animateur_x", lambda m: [ASSMAT_A])),
    ("assmats:structures", Liste("agent_caf_autre", "agent_caf", lambda m: [STRUCTURE_X])),
    ("indicateurs:tableau", Liste("agent_caf_autre", "agent_caf", DU_RELAIS_X)),
    ("indicateurs:tableau_csv", Liste("agent_caf_autre", "agent_caf", DU_RELAIS_X)),
    ("demandes:besoins_non_satisfaits", Liste("agent_caf_autre", "agent_caf", lambda m: [COMMUNE_X])),
    ("demandes:besoins_non_satisfaits_csv", Liste("agent_caf_autre", "agent_caf", lambda m: [COMMUNE_X])),
    ("demandes:besoins_non_satisfaits", Liste("animateur_y", "animateur_x", lambda m: [COMMUNE_X])),
    ("assmats:structures", Liste("animateur_y", "animateur_x", lambda m: [STRUCTURE_X])),
    # Forms offer only the user's own relais' childminders, wishes and enrolments (their labels name them).
    ("formation:mise_en_relation", Liste("animateur_y", "animateur_x", lambda m: [ASSMAT_A])),
    ("formation:session_creer", Liste("animateur_y", "animateur_x", lambda m: [ASSMAT_A])),
    ("formation:demande_telephone", Liste("animateur_y", "animateur_x", lambda m: [ASSMAT_A])),
    ("tiers_payant:preparer", Liste("animateur_y", "animateur_x", lambda m: [ASSMAT_A, RELAIS_X])),
    ("tiers_payant:preparer", Liste("agent_caf_autre", "agent_caf", lambda m: [ASSMAT_A, RELAIS_X])),
    # A partner's referrals are its organisation's; the relais' list of referrals received is its own.
    ("orientations:mes_orientations", Liste("partenaire_b", "partenaire", lambda m: [FAMILLE_ORIENTEE])),
    ("orientations:recues", Liste("animateur_y", "animateur_x", lambda m: [FAMILLE_ORIENTEE])),
    # The referral form offers only the communes of the relais the organisation refers to.
    ("orientations:orienter", Liste("partenaire_b", "partenaire", lambda m: [COMMUNE_X])),
    # A person's own data, and nobody else's.
    ("rgpd:export_json", Liste("parent_b", "parent_a", lambda m: [ENFANT, ENFANT_CONVENTION])),
    ("rgpd:export_json", Liste("assmat_b", "assmat", lambda m: [ENFANT_ACCUEILLI, ENFANT_CONVENTION])),
    ("portail:espace_animateur", Liste("animateur_y", "animateur_x", lambda m: [RELAIS_X, ANIMATRICE_X])),
    ("portail:espace_caf", Liste("agent_caf_autre", "agent_caf", DU_RELAIS_X)),
    (
        "tiers_payant:export_paiements",
        # The payments name the convention, not the child (data minimisation).
        Liste("agent_caf_autre", "agent_caf", lambda m: [m.convention.reference], MOIS_DU_RELEVE, _releve_confirme),
    ),
    # The trail of a read of relais X's request belongs to the Hérault: the Gard's agent does not read it.
    (
        "audit:journal",
        Liste("agent_caf_autre", "agent_caf", lambda m: [m.demande_a.reference], avant=_l_animatrice_ouvre_la_demande),
    ),
    (
        "audit:journal_csv",
        Liste("agent_caf_autre", "agent_caf", lambda m: [m.demande_a.reference], avant=_l_animatrice_ouvre_la_demande),
    ),
]


@pytest.mark.parametrize(("nom", "liste"), LISTES, ids=[f"{nom}-{liste.intrus}" for nom, liste in LISTES])
def test_la_liste_de_l_intrus_ne_montre_rien_de_la_victime(client, monde, nom, liste):
    liste.avant(monde, client)
    secrets = liste.secrets(monde)
    url = reverse(nom)

    client.force_login(monde.users[liste.temoin])
    temoin = client.get(url, liste.parametres(monde))
    client.force_login(monde.users[liste.intrus])
    reponse = client.get(url, liste.parametres(monde))

    assert (temoin.status_code, reponse.status_code) == (200, 200)
    assert fuites(temoin, secrets) == secrets, "la page du témoin devrait montrer ce que l'intrus ne voit pas"
    assert fuites(reponse, secrets) == []


def test_les_resultats_du_tiers_payant_d_un_autre_departement_ne_comptent_pas_ses_conventions(client, monde):
    client.force_login(monde.users["agent_caf"])
    assert client.get(reverse("tiers_payant:resultats")).context["resultats"].signees == 1

    client.force_login(monde.users["agent_caf_autre"])
    assert client.get(reverse("tiers_payant:resultats")).context["resultats"].signees == 0


# --- Data minimisation: what a CAF agent never reads ----------------------------------------------------------

# Every page and export a CAF agent opens about relais X (with the objects they name, in each state that changes
# what they show): none of them names a child or gives a child's birth date, PDFs and CSVs included. The CAF counts,
# pays and audits with references; the children are the families', the childminders' and the relais' business.
# A row: (URL name, its kwargs, optionally its query string); either may put the world in a state first.
PAGES_DE_LA_CAF = [
    ("indicateurs:tableau", lambda m: {}),
    ("indicateurs:tableau_csv", lambda m: {}),
    ("indicateurs:relais", lambda m: {"pk": m.relais_x.pk}),
    ("indicateurs:rapport_pdf", lambda m: {"pk": m.relais_x.pk}),
    ("indicateurs:departement", lambda m: {"pk": m.relais_x.departement_id}),
    *(("indicateurs:detail", lambda m, code=code: {"pk": m.relais_x.pk, "code": code}) for code in NATURE),
    ("indicateurs:engagement", lambda m: {"pk": m.relais_x.pk}),
    ("indicateurs:calcul", lambda m: {"pk": m.calcul.pk}),
    ("assmats:liste", lambda m: {}),
    ("assmats:fiche", lambda m: {"pk": m.fiche_assmat.pk}),
    ("assmats:sous_activites", lambda m: {}),
    ("assmats:structures", lambda m: {}),
    ("assmats:structure", lambda m: {"pk": m.structure.pk}),
    ("relais:equipe", lambda m: {"pk": m.relais_x.pk}),
    ("demandes:besoins_non_satisfaits", lambda m: {}),
    ("demandes:besoins_non_satisfaits_csv", lambda m: {}),
    ("portail:espace_caf", lambda m: {}),
    ("tiers_payant:conventions", lambda m: {}),
    ("tiers_payant:preparer", lambda m: {}),
    ("tiers_payant:resultats", lambda m: {}),
    ("tiers_payant:convention", lambda m: {"pk": m.convention.pk}),
    ("tiers_payant:convention", lambda m: {"pk": convention_brouillon(m).pk}),
    ("tiers_payant:convention", lambda m: {"pk": convention_envoyee(m).pk}),
    ("tiers_payant:convention", lambda m: {"pk": convention_signee(m).pk}),
    ("tiers_payant:pdf", lambda m: {"pk": m.convention.pk}),
    ("tiers_payant:pdf", lambda m: {"pk": convention_brouillon(m).pk}),
    ("tiers_payant:pdf", lambda m: {"pk": convention_envoyee(m).pk}),
    ("tiers_payant:pdf", lambda m: {"pk": convention_signee(m).pk}),
    ("tiers_payant:modifier", lambda m: {"pk": convention_brouillon(m).pk}),
    ("tiers_payant:releves", lambda m: {"pk": m.convention.pk}),
    ("tiers_payant:resilier", lambda m: {"pk": m.convention.pk}),
    ("tiers_payant:export_paiements", lambda m: {}, lambda m: {"mois": _mois_confirme(m)}),
    ("audit:journal", lambda m: {}),
    ("audit:journal_csv", lambda m: {}),
    ("rgpd:mes_donnees", lambda m: {}),
    ("rgpd:export_json", lambda m: {}),
    ("rgpd:export_pdf", lambda m: {}),
]
# What the permission matrix opens to a CAF agent and cannot name a child: public pages, her own account's forms.
SANS_ENFANT_POUR_LA_CAF = {
    **dict.fromkeys(
        ["portail:accueil", "portail:confidentialite", "portail:mentions_legales", "portail:accessibilite"],
        "public page",
    ),
    "portail:healthz": "liveness probe",
    "relais:annuaire": "public directory of the relais",
    "relais:fiche": "public card of a relais",
    "assmats:recherche": "public search: childminders, never the children in their care",
    "assmats:ecrire_via_le_relais": "public form to write to a childminder",
    "formation:calendrier_ics": "public feed of a relais' sessions",
    "tiers_payant:simulateur": "public simulator, nothing stored",
    "demandes:criteres": "the published ranking criteria",
    "comptes:profil": "her own account",
    "rgpd:corriger": "her own account",
    "mfa_index": "her own account",
    **{
        nom: "allauth's pages of her own account"
        for nom in [
            "account_logout",
            "account_inactive",
            "account_reauthenticate",
            "account_email",
            "account_email_verification_sent",
            "account_change_password",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key_done",
            "account_reset_password_from_key",
            "account_confirm_email",
        ]
    },
}
NAISSANCE_ACCUEILLI, NAISSANCE_DEMANDE, NAISSANCE_CONVENTION = date(2023, 2, 17), date(2024, 5, 23), date(2025, 3, 17)


def _mois_confirme(m) -> str:
    """A statement of relais X's convention, confirmed by the family: the month's payments have a row."""
    tp_services.confirmer_releve(releve_id=releve_de_la_convention(m).pk, par=m.users["parent_a"])
    return m.convention.date_debut.strftime("%Y-%m")


def _enfants_dates_et_chiffres(m) -> list[str]:
    """The children's names and birth dates, as a page or an export could write them; the figures computed."""
    m.accueil.date_naissance = NAISSANCE_ACCUEILLI
    m.accueil.save(update_fields=["date_naissance"])
    m.demande_a.enfant_date = NAISSANCE_DEMANDE
    m.demande_a.save(update_fields=["enfant_date"])
    m.convention.enfant_naissance = NAISSANCE_CONVENTION
    m.convention.save(update_fields=["enfant_naissance"])
    enregistrer_indicateurs(relais_id=m.relais_x.pk, annee=timezone.localdate().year)
    dates = [NAISSANCE_ACCUEILLI, NAISSANCE_DEMANDE, NAISSANCE_CONVENTION]
    return [
        ENFANT,
        ENFANT_ACCUEILLI,
        ENFANT_SANS_SOLUTION,
        ENFANT_CONVENTION,
        *(d.strftime("%d/%m/%Y") for d in dates),
        *(d.isoformat() for d in dates),
        *(formats.date_format(d, "j F Y") for d in dates),
    ]


def _texte(reponse, tmp_path) -> str:
    if reponse.get("Content-Type", "").startswith("application/pdf"):
        return texte_du_pdf(reponse.content, tmp_path)
    if reponse.streaming:
        return b"".join(reponse.streaming_content).decode("utf-8-sig")
    return reponse.content.decode()


@pytest.mark.parametrize("page", PAGES_DE_LA_CAF, ids=[nom for nom, *_ in PAGES_DE_LA_CAF])
def test_l_agent_caf_ne_lit_ni_prenom_ni_date_de_naissance_d_enfant(client, monde, tmp_path, page):
    nom, kwargs, *parametres = page
    interdits = _enfants_dates_et_chiffres(monde)
    url = reverse(nom, kwargs=kwargs(monde))
    requete = parametres[0](monde) if parametres else {}
    client.force_login(monde.users["agent_caf"])

    reponse = client.get(url, requete)

    assert reponse.status_code == 200
    assert [mot for mot in interdits if mot in _texte(reponse, tmp_path)] == []


def test_chaque_page_ouverte_a_la_caf_est_parcourue():
    """A new page a CAF agent may open is walked above, or said here to name no child."""
    ouvertes = {nom for nom, ligne in MATRICE.items() if ligne.attendu.get("agent_caf") == 200}
    parcourues = {nom for nom, *_ in PAGES_DE_LA_CAF}

    assert ouvertes - parcourues - SANS_ENFANT_POUR_LA_CAF.keys() == set()
    assert SANS_ENFANT_POUR_LA_CAF.keys() - ouvertes == set()


def test_l_animatrice_du_relais_lit_les_prenoms_que_la_caf_ne_lit_pas(client, monde):
    """The control: the same data does name the children on the relais' own pages, so the test above has teeth."""
    _enfants_dates_et_chiffres(monde)
    client.force_login(monde.users["animateur_x"])
    code = "besoins_non_satisfaits"

    detail = client.get(reverse("indicateurs:detail", kwargs={"pk": monde.relais_x.pk, "code": code}))
    fiche = client.get(reverse("assmats:fiche", kwargs={"pk": monde.fiche_assmat.pk}))

    assert ENFANT_SANS_SOLUTION in detail.content.decode()
    assert ENFANT_ACCUEILLI in fiche.content.decode()


@pytest.mark.parametrize("qui", ["parent_a", "assmat", "animateur_x"])
def test_les_parties_et_le_relais_lisent_l_enfant_de_la_convention_signee(client, monde, tmp_path, qui):
    """The control of the CAF's rows: the contract the parties signed names the child, page and PDF."""
    _enfants_dates_et_chiffres(monde)
    convention = convention_signee(monde)
    client.force_login(monde.users[qui])

    page = client.get(reverse("tiers_payant:convention", kwargs={"pk": convention.pk}))
    pdf = client.get(reverse("tiers_payant:pdf", kwargs={"pk": convention.pk}))

    assert ENFANT_CONVENTION in _texte(page, tmp_path)
    assert NAISSANCE_CONVENTION.strftime("%d/%m/%Y") in _texte(pdf, tmp_path)


# --- Ids in the query string or the form ----------------------------------------------------------------------


@dataclass
class Tentative:
    """A page without an object in its URL, given someone else's id in its query string or its form."""

    nom: str
    intrus: str
    attendu: int
    donnees: Callable[[SimpleNamespace], dict]
    methode: str = "post"
    kwargs: Callable[[SimpleNamespace], dict] = field(default=lambda m: {})
    # The rightful user succeeds with the same request (so that the refusal comes from the permission).
    proprietaire: str | None = None
    # The victim's data; by default relais X's (the intruder's own typing, shown back in the form, is not).
    secrets: Callable[[SimpleNamespace], list[str]] = field(default=lambda m: secrets_du_monde(m))


def _session_de_x(m):
    form = SessionForm(instance=m.session_x, user=m.users["animateur_x"])
    return donnees_du_formulaire(form, intitule="Nouvelle session")


def _structure_de_x(m):
    return donnees_du_formulaire(StructureForm(instance=m.structure), nom="Nouvelle creche")


def _convention_de_x(m, **changements):
    return _convention_modifiee(m, m.convention) | changements


def _mise_en_relation_de_x(m):
    return {
        "relais": m.relais_x.pk,
        "organisme": m.session_x.organisme.pk,
        "date_envoi": timezone.localdate().isoformat(),
        "souhaits": [m.souhait.pk],
    }


def _demande_telephonique_de_x(m):
    session = m.session_x
    return {
        "inscription": m.inscription.pk,
        "prenom_enfant": "Appelant",
        "nom_parent": "Parent Appelant",
        "telephone_parent": "0611223344",
        "date_debut": session.date_debut.isoformat(),
        "date_fin": session.date_fin.isoformat(),
    }


def _proposer_l_assmat_de_y(m):
    demande_au(Statut.RDV_REALISE)(m)
    return {"assistant_maternel_id": assmat_du_relais_y(m).pk}


def _orientation_a_x(m):
    commune = m.relais_x.commune_siege
    return {
        "prenom": "Awa",
        "nom": "Tentee",
        "email": "awa.tentee@exemple.fr",
        "commune": commune.pk,
        "code_postal": commune.codes_postaux[0],
        "enfant_prenom": "Issa",
        "enfant_date": _dans(-300),
        "date_debut_souhaitee": _dans(7),
        "consentement": "on",
        "consentement_le": _dans(0),
    }


def _rien(m):
    return {}


AU_RELAIS_X = lambda m: {"relais": m.relais_x.pk}  # noqa: E731
DU_RELAIS_Y = lambda m: ["Ygrecque"]  # noqa: E731
DEMANDE_A = lambda m: {"pk": m.demande_a.pk}  # noqa: E731

TENTATIVES = [
    # Another relais names relais X in the query string or the form: 404, as for an object in the URL.
    Tentative("assmats:relancer", "animateur_y", 404, AU_RELAIS_X),
    *(
        Tentative(f"formation:{nom}", "animateur_y", 404, AU_RELAIS_X, "get")
        for nom in ["besoins", "besoins_csv", "calendrier", "mise_en_relation"]
    ),
    Tentative("formation:mise_en_relation", "animateur_y", 404, _mise_en_relation_de_x, proprietaire="animateur_x"),
    # A filter the form does not offer is ignored: the queue shows the intruder's own relais only.
    Tentative("demandes:file", "animateur_y", 200, AU_RELAIS_X, "get"),
    # Forms offer only what the user sees: relais X's choices are refused as invalid, nothing is created.
    Tentative("formation:session_creer", "animateur_y", 200, _session_de_x, proprietaire="animateur_x"),
    Tentative("assmats:structures", "animateur_y", 200, _structure_de_x, proprietaire="animateur_x"),
    Tentative("tiers_payant:preparer", "animateur_y", 200, _convention_de_x, proprietaire="animateur_x"),
    Tentative("tiers_payant:preparer", "agent_caf_autre", 200, _convention_de_x, proprietaire="agent_caf"),
    Tentative(
        "formation:demande_telephone", "animateur_y", 200, _demande_telephonique_de_x, proprietaire="animateur_x"
    ),
    # An organisation referring to relais Y only names a commune of relais X: refused as invalid, nothing created.
    Tentative("orientations:orienter", "partenaire_b", 200, _orientation_a_x, proprietaire="partenaire"),
    # Relais X's team names a childminder of relais Y in its own request, session or convention.
    Tentative(
        "demandes:proposer_offre", "animateur_x", 404, _proposer_l_assmat_de_y, kwargs=DEMANDE_A, secrets=DU_RELAIS_Y
    ),
    Tentative(
        "formation:inscrire",
        "animateur_x",
        302,
        lambda m: {"assmat": assmat_du_relais_y(m).pk},
        kwargs=lambda m: {"pk": m.session_x.pk},
        secrets=DU_RELAIS_Y,
    ),
    Tentative(
        "formation:demande_alternative",
        "animateur_x",
        200,
        lambda m: {"type": "assmat", "assmat": assmat_du_relais_y(m).pk},
        kwargs=lambda m: {"pk": m.demande_alternative.pk},
        secrets=DU_RELAIS_Y,
    ),
    Tentative(
        "tiers_payant:preparer",
        "animateur_x",
        200,
        lambda m: _convention_de_x(m, assistant_maternel=assmat_du_relais_y(m).pk),
        secrets=DU_RELAIS_Y,
    ),
    # Relais X's team moves its own structure or session into relais Y's territory: refused, nothing changes.
    Tentative(
        "assmats:structure",
        "animateur_x",
        200,
        lambda m: _structure_de_x(m) | {"commune": m.relais_y.commune_siege.pk},
        kwargs=lambda m: {"pk": m.structure.pk},
        secrets=DU_RELAIS_Y,
    ),
    Tentative(
        "formation:session_modifier",
        "animateur_x",
        200,
        lambda m: _session_de_x(m) | {"relais": m.relais_y.pk, "commune": m.relais_y.commune_siege.pk},
        kwargs=lambda m: {"pk": m.session_x.pk},
        secrets=DU_RELAIS_Y,
    ),
]
IDS_TENTATIVES = [f"{t.nom}-{t.intrus}-{t.methode}" for t in TENTATIVES]


@pytest.mark.parametrize("tentative", TENTATIVES, ids=IDS_TENTATIVES)
def test_un_identifiant_d_autrui_dans_la_requete_ne_donne_rien(client, monde, tentative):
    donnees = tentative.donnees(monde)
    url = reverse(tentative.nom, kwargs=tentative.kwargs(monde))
    client.force_login(monde.users[tentative.intrus])
    avant = empreinte_de_la_base()

    reponse = getattr(client, tentative.methode)(url, donnees)

    assert reponse.status_code == tentative.attendu
    tapes = {str(valeur) for valeur in donnees.values()}
    assert fuites(reponse, [s for s in tentative.secrets(monde) if s not in tapes]) == []
    assert differences(avant, empreinte_de_la_base()) == []


AVEC_PROPRIETAIRE_T = [t for t in TENTATIVES if t.proprietaire]


@pytest.mark.parametrize(
    "tentative", AVEC_PROPRIETAIRE_T, ids=[f"{t.nom}-{t.proprietaire}" for t in AVEC_PROPRIETAIRE_T]
)
def test_la_meme_requete_reussit_pour_qui_en_a_le_droit(client, monde, tentative):
    donnees = tentative.donnees(monde)
    client.force_login(monde.users[tentative.proprietaire])
    avant = empreinte_de_la_base()

    reponse = getattr(client, tentative.methode)(reverse(tentative.nom, kwargs=tentative.kwargs(monde)), donnees)

    assert reponse.status_code == 302
    assert differences(avant, empreinte_de_la_base()) != []
