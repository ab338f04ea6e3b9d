"""Every URL of the portal × every kind of visitor, with the status each must get.

Adding a URL without adding its row here fails `test_chaque_url_a_sa_ligne_dans_la_matrice`.
Object URLs take the ids of relais X; the animateur of relais Y must get a 404, as if the
object did not exist.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.urls import URLResolver, get_resolver, reverse

from assmats.models import RelanceAffichage
from tests.assmats.factories import (
    AccueilFactory,
    EntretienFactory,
    SignalementFactory,
    StructureFactory,
    assmat_complete,
)
from tests.demandes.factories import DemandeFactory
from tests.factories import AgentCafFactory, MembreRelaisFactory, RelaisFactory, UserFactory
from tests.formation.factories import (
    DemandeAlternativeFactory,
    EnfantConcerneFactory,
    InscriptionFactory,
    OrganismeFactory,
    PropositionFactory,
    SessionFactory,
    SouhaitFactory,
)
from tests.orientations.factories import MembrePartenaireFactory, orientation_de
from tests.tiers_payant.factories import ConventionFactory, releve

pytestmark = pytest.mark.django_db

ROLES = [
    "anonyme",
    "parent_a",
    "parent_b",
    "assmat",
    "animateur_x",
    "animateur_y",
    "agent_caf",
    "partenaire",
    "admin",
]
CONNECTES = ROLES[1:]


def tous(status):
    return dict.fromkeys(ROLES, status)


def reserve_a(*roles, ok=200, refus=403):
    """Anonymous visitors are sent to the login page (302); other roles are refused."""
    return {"anonyme": 302} | {role: ok if role in roles else refus for role in CONNECTES}


@dataclass
class Ligne:
    attendu: dict[str, int]
    kwargs: callable = field(default=lambda monde: {})


PUBLIC = tous(200)
CONNECTE = reserve_a(*CONNECTES)
# allauth sends logged-in users away from the entrance pages.
ENTREE = {"anonyme": 200} | dict.fromkeys(CONNECTES, 302)

MATRICE = {
    "portail:accueil": Ligne(PUBLIC),
    "portail:confidentialite": Ligne(PUBLIC),
    "portail:mentions_legales": Ligne(PUBLIC),
    "portail:accessibilite": Ligne(PUBLIC),
    "portail:healthz": Ligne(PUBLIC),
    # The dispatcher redirects everyone to their own space.
    "portail:espace": Ligne(tous(302)),
    "portail:espace_parent": Ligne(reserve_a("parent_a", "parent_b")),
    "portail:espace_animateur": Ligne(reserve_a("animateur_x", "animateur_y")),
    "portail:espace_caf": Ligne(reserve_a("agent_caf")),
    "portail:espace_admin": Ligne(reserve_a("admin")),
    "comptes:profil": Ligne(CONNECTE),
    "relais:annuaire": Ligne(PUBLIC),
    "relais:fiche": Ligne(PUBLIC, lambda m: {"pk": m.relais_x.pk}),
    "relais:equipe": Ligne(
        reserve_a("animateur_x", "agent_caf", "admin") | {"animateur_y": 404}, lambda m: {"pk": m.relais_x.pk}
    ),
    # assmats: the childminder's own space
    "assmats:tableau": Ligne(reserve_a("assmat")),
    "assmats:profil": Ligne(reserve_a("assmat")),
    "assmats:agrement": Ligne(reserve_a("assmat")),
    "assmats:accueils": Ligne(reserve_a("assmat")),
    "assmats:accueil_modifier": Ligne(reserve_a("assmat"), lambda m: {"pk": m.accueil.pk}),
    "assmats:accueil_supprimer": Ligne(reserve_a("assmat", ok=405), lambda m: {"pk": m.accueil.pk}),
    "assmats:disponibilites": Ligne(reserve_a("assmat")),
    "assmats:confirmer_disponibilites": Ligne(reserve_a("assmat")),
    "assmats:sous_activite": Ligne(reserve_a("assmat")),
    # assmats: public search, relais staff and CAF
    "assmats:recherche": Ligne(PUBLIC),
    "assmats:ecrire_via_le_relais": Ligne(PUBLIC, lambda m: {"pk": m.fiche_assmat.pk}),
    "assmats:liste": Ligne(reserve_a("animateur_x", "animateur_y", "agent_caf", "admin")),
    "assmats:fiche": Ligne(
        reserve_a("animateur_x", "agent_caf", "admin") | {"animateur_y": 404}, lambda m: {"pk": m.fiche_assmat.pk}
    ),
    "assmats:avip": Ligne(reserve_a("agent_caf", ok=405), lambda m: {"pk": m.fiche_assmat.pk}),
    "assmats:relancer": Ligne(reserve_a("animateur_x", "animateur_y", ok=405)),
    "assmats:relance": Ligne(reserve_a("animateur_x") | {"animateur_y": 404}, lambda m: {"pk": m.relance.pk}),
    "assmats:sous_activites": Ligne(reserve_a("animateur_x", "animateur_y", "agent_caf", "admin")),
    "assmats:proposer_entretien": Ligne(
        reserve_a("animateur_x") | {"animateur_y": 404}, lambda m: {"pk": m.signalement.pk}
    ),
    "assmats:issue_entretien": Ligne(
        reserve_a("animateur_x", "animateur_y", ok=405), lambda m: {"pk": m.entretien.pk}
    ),
    "assmats:structures": Ligne(reserve_a("animateur_x", "animateur_y", "agent_caf", "admin")),
    "assmats:structure": Ligne(
        reserve_a("animateur_x", "agent_caf", "admin") | {"animateur_y": 404}, lambda m: {"pk": m.structure.pk}
    ),
    "assmats:import": Ligne(reserve_a("admin")),
    # Continuing training: object URLs take relais X's session, the matrix childminder's wish and enrolment,
    # and parent_a's request for her child. Training bodies form one directory shared by every relais.
    **{
        f"formation:{nom}": Ligne(reserve_a("assmat"))
        for nom in ["mes_souhaits", "sessions_proches", "mes_formations"]
    },
    "formation:retirer_souhait": Ligne(reserve_a("assmat", ok=405), lambda m: {"pk": m.souhait.pk}),
    "formation:demander_inscription": Ligne(reserve_a("assmat", ok=405), lambda m: {"pk": m.session_x.pk}),
    "formation:enfants_concernes": Ligne(reserve_a("assmat"), lambda m: {"pk": m.inscription.pk}),
    "formation:annuler_inscription": Ligne(
        reserve_a("assmat", "animateur_x", "animateur_y", "admin", ok=405), lambda m: {"pk": m.inscription.pk}
    ),
    # A forged link names no child: every parent gets a 404.
    "formation:demande_parent": Ligne(reserve_a("parent_a", "parent_b", ok=404), lambda m: {"jeton": "faux"}),
    "formation:mes_demandes": Ligne(reserve_a("parent_a", "parent_b")),
    "formation:repondre_proposition": Ligne(
        reserve_a("parent_a", "parent_b", "animateur_x", "animateur_y", "admin", ok=405),
        lambda m: {"pk": m.proposition.pk},
    ),
    **{
        f"formation:{nom}": Ligne(reserve_a("animateur_x", "animateur_y", "admin"))
        for nom in [
            "organismes",
            "sessions",
            "session_creer",
            "besoins",
            "besoins_csv",
            "mise_en_relation",
            "demandes",
            "demande_telephone",
            "calendrier",
        ]
    },
    "formation:organisme_modifier": Ligne(
        reserve_a("animateur_x", "animateur_y", "admin"), lambda m: {"pk": m.organisme.pk}
    ),
    **{
        f"formation:{nom}": Ligne(
            reserve_a("animateur_x", "admin") | {"animateur_y": 404}, lambda m: {"pk": m.session_x.pk}
        )
        for nom in ["session", "session_modifier"]
    },
    "formation:inscrire": Ligne(
        reserve_a("animateur_x", "animateur_y", "admin", ok=405), lambda m: {"pk": m.session_x.pk}
    ),
    **{
        f"formation:{nom}": Ligne(
            reserve_a("animateur_x", "animateur_y", "admin", ok=405), lambda m: {"pk": m.inscription.pk}
        )
        for nom in ["marquer_partie", "marquer_suivie"]
    },
    "formation:demande_alternative": Ligne(
        reserve_a("animateur_x", "admin") | {"animateur_y": 404}, lambda m: {"pk": m.demande_alternative.pk}
    ),
    # Public on purpose: sessions are an offer to advertise, and calendar apps subscribe without a cookie.
    "formation:calendrier_ics": Ligne(PUBLIC, lambda m: {"pk": m.relais_x.pk}),
    "account_login": Ligne(ENTREE),
    "account_signup": Ligne(ENTREE),
    "account_logout": Ligne({"anonyme": 302} | dict.fromkeys(CONNECTES, 200)),
    "account_inactive": Ligne(PUBLIC),
    "account_reauthenticate": Ligne(CONNECTE),
    "account_email": Ligne(CONNECTE),
    "account_email_verification_sent": Ligne(PUBLIC),
    "account_change_password": Ligne(CONNECTE),
    # Users who have a password are sent to "change password".
    "account_set_password": Ligne({"anonyme": 302} | dict.fromkeys(CONNECTES, 302)),
    "account_reset_password": Ligne(PUBLIC),
    "account_reset_password_done": Ligne(PUBLIC),
    "account_reset_password_from_key_done": Ligne(PUBLIC),
    # A forged key shows "invalid link", never someone's form.
    "account_reset_password_from_key": Ligne(PUBLIC, lambda m: {"uidb36": "zz", "key": "faux-jeton"}),
    "account_confirm_email": Ligne(PUBLIC, lambda m: {"key": "cle-inventee"}),
    "account_confirm_login_code": Ligne(tous(302)),
    # Second factor (allauth.mfa), for every logged-in user, required for staff. Setting it up asks for the
    # password again (302: force_login is no recent authentication); without a TOTP there is nothing to
    # deactivate and no recovery code to see (404); authenticate belongs to a login in progress (302).
    "mfa_index": Ligne(CONNECTE),
    **{f"mfa_{nom}": Ligne(tous(302)) for nom in ["authenticate", "reauthenticate", "activate_totp"]},
    "mfa_generate_recovery_codes": Ligne(tous(302)),
    **{
        f"mfa_{nom}": Ligne({"anonyme": 302} | dict.fromkeys(CONNECTES, 404))
        for nom in ["deactivate_totp", "view_recovery_codes", "download_recovery_codes"]
    },
    "tiers_payant:simulateur": Ligne(PUBLIC),
    # Tiers payant conventions: object URLs take relais X's convention between parent_a and the matrix's childminder.
    # Every party to a convention lists its own; a partner (France Travail, social services) is none.
    "tiers_payant:conventions": Ligne(CONNECTE | {"partenaire": 403}),
    "tiers_payant:preparer": Ligne(reserve_a("animateur_x", "animateur_y", "agent_caf")),
    **{
        f"tiers_payant:{nom}": Ligne(
            reserve_a("parent_a", "assmat", "animateur_x", "agent_caf", "admin")
            | {"parent_b": 404, "animateur_y": 404},
            lambda m: {"pk": m.convention.pk},
        )
        for nom in ["convention", "pdf", "releves"]
    },
    # An active convention's terms cannot change: the edit page sends back to the convention.
    "tiers_payant:modifier": Ligne(
        reserve_a("animateur_x", "agent_caf", ok=302) | {"animateur_y": 404}, lambda m: {"pk": m.convention.pk}
    ),
    "tiers_payant:resilier": Ligne(
        reserve_a("animateur_x", "agent_caf") | {"animateur_y": 404}, lambda m: {"pk": m.convention.pk}
    ),
    "tiers_payant:envoyer": Ligne(
        reserve_a("animateur_x", "animateur_y", "agent_caf", ok=405), lambda m: {"pk": m.convention.pk}
    ),
    "tiers_payant:terminer": Ligne(
        reserve_a("animateur_x", "animateur_y", "agent_caf", ok=405), lambda m: {"pk": m.convention.pk}
    ),
    "tiers_payant:signer": Ligne(
        reserve_a("parent_a", "parent_b", "assmat", "agent_caf", ok=405), lambda m: {"pk": m.convention.pk}
    ),
    "tiers_payant:activer": Ligne(reserve_a("agent_caf", ok=405), lambda m: {"pk": m.convention.pk}),
    "tiers_payant:confirmer_releve": Ligne(reserve_a("parent_a", "parent_b", ok=405), lambda m: {"pk": m.releve.pk}),
    "tiers_payant:contester_releve": Ligne(reserve_a("parent_a") | {"parent_b": 404}, lambda m: {"pk": m.releve.pk}),
    "tiers_payant:export_paiements": Ligne(reserve_a("agent_caf", "admin")),
    "tiers_payant:resultats": Ligne(reserve_a("animateur_x", "animateur_y", "agent_caf", "admin")),
    # Requests: object URLs take demande_a (parent_a's, in relais X); POST-only actions answer 405 to GET.
    "demandes:criteres": Ligne(PUBLIC),
    "demandes:mes_demandes": Ligne(reserve_a("parent_a", "parent_b")),
    "demandes:deposer": Ligne(reserve_a("parent_a", "parent_b", ok=302)),
    "demandes:abandonner": Ligne(reserve_a("parent_a", "parent_b", ok=405)),
    "demandes:etape": Ligne(reserve_a("parent_a", "parent_b"), lambda m: {"etape": "famille"}),
    "demandes:confirmation": Ligne(reserve_a("parent_a") | {"parent_b": 404}, lambda m: {"pk": m.demande_a.pk}),
    "demandes:modifier": Ligne(reserve_a("parent_a", "parent_b", ok=405), lambda m: {"pk": m.demande_a.pk}),
    "demandes:retirer": Ligne(reserve_a("parent_a") | {"parent_b": 404}, lambda m: {"pk": m.demande_a.pk}),
    # A forged invitation link is refused to every parent.
    "demandes:invitation": Ligne(reserve_a("parent_a", "parent_b", ok=403), lambda m: {"jeton": "faux"}),
    "demandes:detail": Ligne(
        reserve_a("parent_a", "animateur_x", "admin") | {"parent_b": 404, "animateur_y": 404},
        lambda m: {"pk": m.demande_a.pk},
    ),
    # The coming appointment: demande_a has none, so its calendar link sends back to the request's page.
    "demandes:agenda": Ligne(
        reserve_a("parent_a", "animateur_x", "admin", ok=302) | {"parent_b": 404, "animateur_y": 404},
        lambda m: {"pk": m.demande_a.pk},
    ),
    "demandes:confirmer_rendez_vous": Ligne(
        reserve_a("parent_a", "parent_b", ok=405), lambda m: {"pk": m.demande_a.pk}
    ),
    "demandes:deplacement_souhaite": Ligne(
        reserve_a("parent_a", "parent_b", ok=405), lambda m: {"pk": m.demande_a.pk}
    ),
    "demandes:file": Ligne(reserve_a("animateur_x", "animateur_y", "admin")),
    "demandes:saisir": Ligne(reserve_a("animateur_x", "animateur_y", "admin")),
    **{
        f"demandes:{action}": Ligne(
            reserve_a("animateur_x", "animateur_y", "admin", ok=405), lambda m: {"pk": m.demande_a.pk}
        )
        for action in [
            "prendre",
            "rendez_vous",
            "deplacer_rendez_vous",
            "annuler_rendez_vous",
            "constater",
            "proposition",
            "solution",
            "sans_solution",
            "note",
            "proposer_offre",
        ]
    },
    # Matching, the childminder's answers, unmet needs (aggregated: CAF agents see them too).
    "demandes:mise_en_relation": Ligne(
        reserve_a("animateur_x", "admin") | {"animateur_y": 404}, lambda m: {"pk": m.demande_a.pk}
    ),
    "demandes:propositions_assmat": Ligne(reserve_a("assmat")),
    "demandes:repondre_proposition": Ligne(reserve_a("assmat", ok=405), lambda m: {"pk": m.demande_a.pk}),
    "demandes:besoins_non_satisfaits": Ligne(reserve_a("animateur_x", "animateur_y", "agent_caf", "admin")),
    "demandes:besoins_non_satisfaits_csv": Ligne(reserve_a("animateur_x", "animateur_y", "agent_caf", "admin")),
    # Insertion: the relais' POST-only actions on a request's AVIP place and PEPIT parcours (block of its page).
    **{
        f"insertion:{action}": Ligne(
            reserve_a("animateur_x", "animateur_y", "admin", ok=405), lambda m: {"pk": m.demande_a.pk}
        )
        for action in [
            "attribuer_avip",
            "renouveler_avip",
            "terminer_avip",
            "ouvrir_parcours",
            "noter_contact",
            "cloturer_parcours",
        ]
    },
    # The audit trail: searched by admins and CAF agents only.
    "audit:journal": Ligne(reserve_a("agent_caf", "admin")),
    "audit:journal_csv": Ligne(reserve_a("agent_caf", "admin")),
    # « Mes données »: every account, staff included, sees, downloads and corrects its own data (the right of
    # access is everyone's; staff get their account and logins, not the families they serve).
    **{f"rgpd:{nom}": Ligne(CONNECTE) for nom in ["mes_donnees", "export_json", "export_pdf", "corriger"]},
    # The register of processing activities (art. 30): the portal's administrators only.
    "rgpd:registre": Ligne(reserve_a("admin")),
    "rgpd:registre_csv": Ligne(reserve_a("admin")),
    # Deleting one's own account: families and childminders; staff accounts are removed by an admin.
    "rgpd:supprimer_compte": Ligne(reserve_a("parent_a", "parent_b", "assmat")),
    # Partners' referrals: the adviser's own pages (the matrix orientation is her organisation's, to relais X);
    # the relais' list of referrals received is its team's.
    "orientations:mes_orientations": Ligne(reserve_a("partenaire")),
    "orientations:orienter": Ligne(reserve_a("partenaire")),
    "orientations:detail": Ligne(reserve_a("partenaire"), lambda m: {"pk": m.orientation.pk}),
    "orientations:recues": Ligne(reserve_a("animateur_x", "animateur_y", "admin")),
    # Indicators: the département table for the CAF; a relais' page for its team and its CAF (404 for another team).
    "indicateurs:tableau": Ligne(reserve_a("agent_caf", "admin")),
    "indicateurs:tableau_csv": Ligne(reserve_a("agent_caf", "admin")),
    **{
        f"indicateurs:{nom}": Ligne(
            reserve_a("animateur_x", "agent_caf", "admin") | {"animateur_y": 404}, lambda m: {"pk": m.relais_x.pk}
        )
        for nom in ["relais", "rapport_pdf"]
    },
    "indicateurs:detail": Ligne(
        reserve_a("animateur_x", "agent_caf", "admin") | {"animateur_y": 404},
        lambda m: {"pk": m.relais_x.pk, "code": "m1_demandes_en_ligne"},
    ),
    "indicateurs:engagement": Ligne(reserve_a("agent_caf", "admin"), lambda m: {"pk": m.relais_x.pk}),
    "indicateurs:recalculer": Ligne(reserve_a("agent_caf", "admin", ok=405), lambda m: {"pk": m.relais_x.pk}),
    "indicateurs:calcul": Ligne(
        reserve_a("animateur_x", "agent_caf", "admin") | {"animateur_y": 404}, lambda m: {"pk": m.calcul.pk}
    ),
    # A département's block of the dashboard (polled while its recomputation runs) and its one-click recomputation.
    "indicateurs:departement": Ligne(reserve_a("agent_caf", "admin"), lambda m: {"pk": m.relais_x.departement_id}),
    "indicateurs:recalculer_departement": Ligne(
        reserve_a("agent_caf", "admin", ok=405), lambda m: {"pk": m.relais_x.departement_id}
    ),
}


@pytest.fixture
def monde():
    relais_x = RelaisFactory(nom="RPE X")
    relais_y = RelaisFactory(nom="RPE Y", departement=relais_x.departement)
    users = {
        "anonyme": None,
        "parent_a": UserFactory(),
        "parent_b": UserFactory(),
        "assmat": UserFactory(assmat=True),
        "animateur_x": MembreRelaisFactory(relais=relais_x).user,
        "animateur_y": MembreRelaisFactory(relais=relais_y).user,
        "agent_caf": AgentCafFactory(departement=relais_x.departement).user,
        "partenaire": MembrePartenaireFactory(partenaire__relais=[relais_x]).user,
        "admin": UserFactory(admin=True),
    }
    monde = SimpleNamespace(relais_x=relais_x, relais_y=relais_y, users=users)
    _offre(monde)
    _convention(monde)
    monde.demande_a = DemandeFactory(relais=relais_x, parent=users["parent_a"])
    _formation(monde)
    _indicateurs(monde)
    monde.orientation = orientation_de(monde.users["partenaire"].membre_partenaire)
    return monde


def _indicateurs(monde):
    """Relais X's indicators are computed for the running year, and a recomputation was asked."""
    from django.utils import timezone

    from indicateurs.models import Calcul
    from indicateurs.services import enregistrer_indicateurs

    annee = timezone.localdate().year
    enregistrer_indicateurs(relais_id=monde.relais_x.pk, annee=annee)
    monde.calcul = Calcul.objects.create(relais=monde.relais_x, annee=annee, demande_par=monde.users["agent_caf"])


def _formation(monde):
    """The matrix childminder wished a training, is enrolled on a session of relais X, and declared her child,
    for whom parent_a asked alternative childcare and received a proposal."""
    monde.souhait = SouhaitFactory(assistant_maternel=monde.fiche_assmat)
    monde.organisme = OrganismeFactory()
    monde.session_x = SessionFactory(relais=monde.relais_x, organisme=monde.organisme)
    monde.inscription = InscriptionFactory(session=monde.session_x, assistant_maternel=monde.fiche_assmat)
    enfant = EnfantConcerneFactory(inscription=monde.inscription, accueil=monde.accueil)
    monde.demande_alternative = DemandeAlternativeFactory(enfant_concerne=enfant, parent=monde.users["parent_a"])
    monde.proposition = PropositionFactory(demande=monde.demande_alternative)


def _offre(monde):
    """The childminder of the matrix lives in relais X's territory, with a child, a report, an interview."""
    monde.fiche_assmat = assmat_complete(user=monde.users["assmat"], commune=monde.relais_x.commune_siege)
    monde.accueil = AccueilFactory(assistant_maternel=monde.fiche_assmat)
    monde.signalement = SignalementFactory(assistant_maternel=monde.fiche_assmat)
    monde.entretien = EntretienFactory(signalement=monde.signalement, propose_par=monde.users["animateur_x"])
    monde.structure = StructureFactory(commune=monde.relais_x.commune_siege)
    monde.relance = RelanceAffichage.objects.create(
        relais=monde.relais_x, lancee_par=monde.users["animateur_x"], destinataires=1
    )


def _convention(monde):
    """An active tiers payant convention in relais X between parent_a and the matrix's childminder, with a
    statement awaiting the parent's confirmation."""
    monde.convention = ConventionFactory(
        active=True,
        relais=monde.relais_x,
        parent=monde.users["parent_a"],
        assistant_maternel=monde.fiche_assmat,
        created_by=monde.users["animateur_x"],
    )
    monde.releve = releve(monde.convention)


def _noms_d_url(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _noms_d_url(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif pattern.name:
            yield namespace + pattern.name


def test_chaque_url_a_sa_ligne_dans_la_matrice():
    # The Django admin guards all its URLs itself; test_admin_reserve_aux_admins checks it.
    noms = {nom for nom in _noms_d_url() if not nom.startswith("admin:")}

    assert noms - MATRICE.keys() == set(), "URL sans ligne dans la matrice des permissions"
    assert MATRICE.keys() - noms == set(), "ligne de la matrice pour une URL qui n'existe plus"


@pytest.mark.parametrize("nom", sorted(MATRICE))
def test_matrice_des_permissions(client, monde, nom):
    ligne = MATRICE[nom]
    url = reverse(nom, kwargs=ligne.kwargs(monde))
    obtenu = {}
    for role in ROLES:
        client.logout()
        if monde.users[role] is not None:
            client.force_login(monde.users[role])
        obtenu[role] = client.get(url).status_code

    assert obtenu == ligne.attendu


def _listes_de_l_admin():
    return [f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry]


def test_admin_reserve_aux_admins(client, monde):
    for nom in ["admin:index", *_listes_de_l_admin()]:
        url = reverse(nom)
        for role in ROLES:
            client.logout()
            if monde.users[role] is not None:
                client.force_login(monde.users[role])
            attendu = 200 if role == "admin" else 302
            assert client.get(url).status_code == attendu, (nom, role)
