"""Every form of the portal: the page that shows it, who may use it, and the objects it needs.

`monde` is the permission matrix's world (tests/test_matrice_permissions.py); `preparer` adds what a form needs
to be shown (a request in the right status, a draft at the right step, a convention to sign...).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from tests.fuzz.html import Champ, Formulaire
from tests.insertion import matrice as insertion_matrice


@dataclass
class Cible:
    page: str  # URL name of the page showing the form
    role: str  # a role of `monde.users` allowed to use it
    action: str | None = None  # URL name the form is sent to; None: the page itself
    kwargs: Callable = field(default=lambda m: {})
    action_kwargs: Callable | None = None  # defaults to `kwargs`
    preparer: Callable | None = None  # monde -> None, before the page is opened
    rang: int = 0  # when several forms of the page go to the same URL
    # Log in through the login form rather than force_login: pages that want a recent authentication (MFA set-up).
    par_mot_de_passe: bool = False
    # Valid values for fields the page leaves empty (monde -> {name: value}), so that examples reach success too.
    valides: Callable | None = None
    # For pages that read query parameters without a <form> (links, calendars): the fields to fuzz.
    parametres: dict[str, str] | None = None
    nom: str = ""

    @property
    def id(self) -> str:
        return self.nom or "→".join(filter(None, [self.page, self.action])) + (f"#{self.rang}" if self.rang else "")

    def formulaire_synthetique(self, url: str) -> Formulaire | None:
        if self.parametres is None:
            return None
        return Formulaire(
            action=url,
            methode="get",
            multipart=False,
            champs={nom: Champ(nom=nom, genre=genre) for nom, genre in self.parametres.items()},
        )


# --- Objects some forms need -------------------------------------------------------------------------------------


def _entretien_passe(monde):
    """An outcome is only offered once the interview has taken place."""
    monde.entretien.date_entretien = timezone.now() - timedelta(hours=1)
    monde.entretien.save(update_fields=["date_entretien"])


def _session_commencee(monde):
    """A departure is only offered once the session has started."""
    session = monde.session_x
    session.date_debut = timezone.localdate() - timedelta(days=1)
    session.date_fin = max(session.date_fin, session.date_debut)
    session.save(update_fields=["date_debut", "date_fin"])


def _demande_au_statut(statut):
    def preparer(monde):
        from tests.demandes.factories import DemandeFactory

        monde.demande_etat = DemandeFactory(relais=monde.relais_x, parent=monde.users["parent_a"], **{statut: True})

    return preparer


def _demande_au_rendez_vous(dans_jours):
    """A request waiting for its appointment, a past one (its outcome is noted) or a coming one."""

    def preparer(monde):
        from datetime import timedelta

        from demandes.models import RendezVous
        from tests.demandes.factories import DemandeFactory

        monde.demande_etat = DemandeFactory(relais=monde.relais_x, parent=monde.users["parent_a"], rdv_propose=True)
        RendezVous.objects.create(
            demande=monde.demande_etat,
            debut=timezone.now() + timedelta(days=dans_jours),
            modalite=RendezVous.Modalite.TELEPHONE,
            auteur=monde.users["animateur_x"],
        )

    return preparer


def _demande_nouvelle(monde):
    from tests.demandes.factories import DemandeFactory

    monde.demande_etat = DemandeFactory(relais=monde.relais_x, parent=monde.users["parent_a"])


def _brouillon_jusqu_a(etape):
    """parent_b has filled the steps before `etape` with the values of parent_a's request."""

    def preparer(monde):
        from demandes import forms, services

        brutes = forms.brutes_de_la_demande(monde.demande_a)
        for precedente in forms.ORDRE[: forms.ORDRE.index(etape)]:
            services.enregistrer_etape(parent=monde.users["parent_b"], etape=precedente, donnees=brutes[precedente])

    return preparer


def _etape_valide(etape):
    """What parent_a typed at this step, which parent_b may type too."""

    def valides(monde):
        from demandes import forms

        return forms.brutes_de_la_demande(monde.demande_a).get(etape, {})

    return valides


def _saisie_valide(monde):
    """A family of relais x calling it: what parent_a typed online, step by step, under each step's prefix."""
    from demandes import forms

    valides = {"qui-source": "telephone", "qui-prenom": "Nadia", "qui-nom": "Benali", "qui-information": "on"}
    valides["qui-email"] = "famille.au.telephone@exemple.fr"
    for etape, champs in forms.brutes_de_la_demande(monde.demande_a).items():
        valides |= {f"{etape}-{nom}": valeur for nom, valeur in champs.items()}
    return valides


def _orientation_valide(monde):
    """A job seeker of relais X's seat commune, referred with her consent given today."""
    aujourd_hui = timezone.localdate()
    commune = monde.relais_x.commune_siege
    return {
        "prenom": "Awa",
        "nom": "Diallo",
        "email": "awa.diallo@exemple.fr",
        "commune": str(commune.pk),
        "code_postal": commune.codes_postaux[0],
        "enfant_prenom": "Issa",
        "enfant_date": (aujourd_hui - timedelta(days=300)).isoformat(),
        "date_debut_souhaitee": (aujourd_hui + timedelta(days=7)).isoformat(),
        "consentement": "on",
        "consentement_le": aujourd_hui.isoformat(),
    }


def _convention_valide(monde):
    from tests.tiers_payant.factories import premier_du_mois

    debut = premier_du_mois()
    return {
        "parent_email": monde.users["parent_a"].email,
        "enfant_prenom": "Lina",
        "enfant_naissance": debut.replace(year=debut.year - 1).isoformat(),
        "date_debut": debut.isoformat(),
        "duree_mois": "18",
        "heures_mensuelles": "125",
        "enfants_a_charge": "1",
    }


def _proposition_a_l_assmat(monde):
    from demandes.models import Mode, Proposition
    from tests.demandes.factories import DemandeFactory

    demande = DemandeFactory(relais=monde.relais_x, parent=monde.users["parent_b"], propositions_faites=True)
    monde.proposition_assmat = Proposition.objects.create(
        demande=demande,
        mode=Mode.ASSMAT,
        description="Une assistante maternelle proche",
        assistant_maternel=monde.fiche_assmat,
        auteur=monde.users["animateur_x"],
    )


def _session_proche(monde):
    from tests.formation.factories import SessionFactory

    monde.session_proche = SessionFactory(relais=monde.relais_x, organisme=monde.organisme)


def _jeton_parent(monde):
    """The link sent for a second child of the enrolment, for whom nothing was asked yet."""
    from formation.liens import jeton_pour_parent
    from tests.formation.factories import EnfantConcerneFactory

    return jeton_pour_parent(EnfantConcerneFactory(inscription=monde.inscription))


def _demande_alternative_nouvelle(monde):
    """A new request with no proposal yet (the matrix's request has a pending proposal but is still « nouvelle »,
    a state the services never produce)."""
    from tests.formation.factories import DemandeAlternativeFactory, EnfantConcerneFactory

    monde.demande_alternative_nouvelle = DemandeAlternativeFactory(
        enfant_concerne=EnfantConcerneFactory(inscription=monde.inscription), parent=monde.users["parent_a"]
    )


def _convention(statut="brouillon"):
    """A convention of relais X between parent_a and the matrix's childminder, brought to `statut` by the services."""

    def preparer(monde):
        from tests.tiers_payant.factories import ConventionFactory
        from tiers_payant import services
        from tiers_payant.models import Convention, Statut

        convention = ConventionFactory(
            relais=monde.relais_x,
            parent=monde.users["parent_a"],
            assistant_maternel=monde.fiche_assmat,
            created_by=monde.users["animateur_x"],
        )
        if statut != Statut.BROUILLON:
            services.envoyer_pour_signature(convention_id=convention.pk, par=monde.users["animateur_x"])
        if statut == Statut.SIGNEE:
            Convention.objects.filter(pk=convention.pk).update(statut=Statut.SIGNEE, signee_le=timezone.now())
        monde.convention_etat = convention

    return preparer


def _cle_de_reinitialisation(monde):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    user = monde.users["parent_a"]
    return {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}


ENTETE_IMPORT = (
    "numero_agrement,nom,prenom,email,telephone,adresse,code_insee,date_delivrance,date_fin_validite,"
    "capacite_totale,capacite_moins_3_ans,capacite_periscolaire"
)


def _pk(attribut):
    return lambda m: {"pk": getattr(m, attribut).pk}


CIBLES = [
    # --- Accounts (allauth and our profile)
    Cible("account_login", "anonyme"),
    Cible("account_signup", "anonyme"),
    Cible("account_reset_password", "anonyme"),
    Cible("account_reset_password_from_key", "anonyme", kwargs=_cle_de_reinitialisation),
    Cible("account_change_password", "parent_a"),
    Cible("account_email", "parent_a", rang=0),
    Cible("account_email", "parent_a", rang=1),
    Cible("account_reauthenticate", "parent_a"),
    Cible("mfa_activate_totp", "parent_a", par_mot_de_passe=True),
    Cible("comptes:profil", "parent_a"),
    Cible("comptes:profil", "animateur_x", nom="comptes:profil[animateur]"),
    # --- The childminder's own space
    Cible("assmats:profil", "assmat"),
    Cible("assmats:agrement", "assmat"),
    Cible("assmats:accueils", "assmat"),
    Cible("assmats:accueil_modifier", "assmat", kwargs=_pk("accueil")),
    Cible("assmats:accueils", "assmat", "assmats:accueil_supprimer", action_kwargs=_pk("accueil")),
    Cible("assmats:disponibilites", "assmat"),
    Cible("assmats:tableau", "assmat", "assmats:confirmer_disponibilites"),
    Cible("assmats:sous_activite", "assmat"),
    # --- The offer: public search, relais staff, CAF, admin
    Cible("assmats:recherche", "anonyme"),
    Cible("assmats:ecrire_via_le_relais", "anonyme", kwargs=_pk("fiche_assmat")),
    Cible("assmats:liste", "animateur_x"),
    Cible("assmats:liste", "animateur_x", "assmats:relancer"),
    Cible("assmats:fiche", "agent_caf", "assmats:avip", kwargs=_pk("fiche_assmat")),
    Cible("assmats:proposer_entretien", "animateur_x", kwargs=_pk("signalement")),
    Cible(
        "assmats:sous_activites",
        "animateur_x",
        "assmats:issue_entretien",
        action_kwargs=_pk("entretien"),
        preparer=_entretien_passe,
    ),
    Cible("assmats:structures", "animateur_x"),
    Cible("assmats:structure", "animateur_x", kwargs=_pk("structure"), rang=0),
    Cible("assmats:structure", "animateur_x", kwargs=_pk("structure"), rang=1),
    Cible("assmats:import", "admin", valides=lambda m: {"fichier": ENTETE_IMPORT}),
    # --- The family's request, step by step
    *[
        Cible(
            "demandes:etape",
            "parent_b",
            kwargs=lambda m, e=etape: {"etape": e},
            preparer=_brouillon_jusqu_a(etape),
            valides=_etape_valide(etape),
            nom=f"demandes:etape[{etape}]",
        )
        for etape in ["famille", "enfant", "besoin", "situation", "envoi"]
    ],
    Cible("demandes:retirer", "parent_a", kwargs=_pk("demande_a")),
    Cible("demandes:detail", "parent_a", "demandes:modifier", kwargs=_pk("demande_a")),
    # --- The relais' actions on a request, each shown in the status that allows it
    Cible(
        "demandes:detail", "animateur_x", "demandes:prendre", kwargs=_pk("demande_etat"), preparer=_demande_nouvelle
    ),
    *[
        Cible(
            "demandes:detail",
            "animateur_x",
            f"demandes:{action}",
            kwargs=_pk("demande_etat"),
            preparer=_demande_au_statut(statut),
        )
        for action, statut in [
            ("rendez_vous", "prise_en_charge"),
            ("sans_solution", "prise_en_charge"),
            ("note", "prise_en_charge"),
            ("proposition", "rdv_realise"),
            ("solution", "propositions_faites"),
        ]
    ],
    *[
        Cible(
            "demandes:detail",
            role,
            f"demandes:{action}",
            kwargs=_pk("demande_etat"),
            preparer=_demande_au_rendez_vous(dans_jours),
        )
        for role, action, dans_jours in [
            ("animateur_x", "constater", -1),
            ("animateur_x", "deplacer_rendez_vous", 7),
            ("animateur_x", "annuler_rendez_vous", 7),
            ("parent_a", "confirmer_rendez_vous", 7),
            ("parent_a", "deplacement_souhaite", 7),
        ]
    ],
    Cible(
        "demandes:mise_en_relation",
        "animateur_x",
        "demandes:proposer_offre",
        kwargs=_pk("demande_etat"),
        preparer=_demande_au_statut("rdv_realise"),
    ),
    Cible(
        "demandes:propositions_assmat",
        "assmat",
        "demandes:repondre_proposition",
        action_kwargs=_pk("proposition_assmat"),
        preparer=_proposition_a_l_assmat,
    ),
    Cible("demandes:file", "animateur_x"),
    Cible("demandes:saisir", "animateur_x", valides=_saisie_valide),
    Cible("demandes:besoins_non_satisfaits", "animateur_x"),
    Cible("demandes:criteres", "anonyme", parametres={"relais": "text"}),
    # --- Continuing training
    Cible("formation:mes_souhaits", "assmat"),
    Cible("formation:mes_souhaits", "assmat", "formation:retirer_souhait", action_kwargs=_pk("souhait")),
    Cible(
        "formation:sessions_proches",
        "assmat",
        "formation:demander_inscription",
        action_kwargs=_pk("session_proche"),
        preparer=_session_proche,
    ),
    Cible("formation:mes_formations", "assmat", "formation:annuler_inscription", action_kwargs=_pk("inscription")),
    Cible("formation:enfants_concernes", "assmat", kwargs=_pk("inscription")),
    Cible("formation:demande_parent", "parent_a", kwargs=lambda m: {"jeton": _jeton_parent(m)}),
    Cible("formation:mes_demandes", "parent_a", "formation:repondre_proposition", action_kwargs=_pk("proposition")),
    Cible("formation:organismes", "animateur_x"),
    Cible("formation:organisme_modifier", "animateur_x", kwargs=_pk("organisme")),
    Cible("formation:session_creer", "animateur_x"),
    Cible("formation:session_modifier", "animateur_x", kwargs=_pk("session_x")),
    Cible("formation:session", "animateur_x", "formation:inscrire", kwargs=_pk("session_x")),
    Cible(
        "formation:session",
        "animateur_x",
        "formation:marquer_partie",
        kwargs=_pk("session_x"),
        action_kwargs=_pk("inscription"),
        preparer=_session_commencee,
    ),
    Cible(
        "formation:session",
        "animateur_x",
        "formation:annuler_inscription",
        kwargs=_pk("session_x"),
        action_kwargs=_pk("inscription"),
    ),
    Cible("formation:mise_en_relation", "animateur_x"),
    Cible(
        "formation:demande_alternative",
        "animateur_x",
        kwargs=_pk("demande_alternative_nouvelle"),
        preparer=_demande_alternative_nouvelle,
    ),
    Cible("formation:demande_telephone", "animateur_x"),
    Cible("formation:calendrier", "animateur_x", parametres={"annee": "number", "mois": "number", "relais": "text"}),
    # --- Tiers payant
    Cible("tiers_payant:simulateur", "anonyme"),
    Cible("tiers_payant:preparer", "animateur_x", valides=_convention_valide),
    Cible("tiers_payant:modifier", "animateur_x", kwargs=_pk("convention_etat"), preparer=_convention()),
    Cible("tiers_payant:resilier", "animateur_x", kwargs=_pk("convention")),
    Cible(
        "tiers_payant:convention",
        "animateur_x",
        "tiers_payant:envoyer",
        kwargs=_pk("convention_etat"),
        preparer=_convention(),
    ),
    Cible(
        "tiers_payant:convention",
        "parent_a",
        "tiers_payant:signer",
        kwargs=_pk("convention_etat"),
        preparer=_convention("envoyee"),
    ),
    Cible(
        "tiers_payant:convention",
        "agent_caf",
        "tiers_payant:activer",
        kwargs=_pk("convention_etat"),
        preparer=_convention("signee"),
    ),
    Cible("tiers_payant:convention", "animateur_x", "tiers_payant:terminer", kwargs=_pk("convention")),
    Cible("tiers_payant:releves", "assmat", kwargs=_pk("convention")),
    Cible(
        "tiers_payant:releves",
        "parent_a",
        "tiers_payant:confirmer_releve",
        kwargs=_pk("convention"),
        action_kwargs=_pk("releve"),
    ),
    Cible("tiers_payant:contester_releve", "parent_a", kwargs=_pk("releve")),
    Cible("tiers_payant:export_paiements", "agent_caf"),
    # --- Insertion: the AVIP place's and the PEPIT parcours' forms of a request's page
    *[
        Cible("demandes:detail", "animateur_x", f"insertion:{action}", kwargs=_pk("demande_etat"), preparer=preparer)
        for action, preparer in insertion_matrice.FORMULAIRES
    ],
    # --- Partners' referrals
    Cible("orientations:orienter", "partenaire", valides=_orientation_valide),
    # --- Indicators and the audit trail
    Cible("indicateurs:tableau", "agent_caf"),
    Cible(
        "indicateurs:tableau",
        "agent_caf",
        "indicateurs:recalculer_departement",
        action_kwargs=lambda m: {"pk": m.relais_x.departement_id},
    ),
    Cible("indicateurs:relais", "animateur_x", kwargs=_pk("relais_x")),
    Cible("indicateurs:relais", "agent_caf", "indicateurs:recalculer", kwargs=_pk("relais_x")),
    Cible("indicateurs:engagement", "agent_caf", kwargs=_pk("relais_x")),
    Cible("audit:journal", "admin"),
    # --- GDPR: correcting one's data, deleting one's account
    Cible("rgpd:corriger", "parent_a"),
    Cible("rgpd:corriger", "assmat", nom="rgpd:corriger[assmat]"),
    Cible("rgpd:supprimer_compte", "parent_b"),
    Cible("rgpd:supprimer_compte", "assmat", nom="rgpd:supprimer_compte[assmat]"),
]
