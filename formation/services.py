"""Writes on continuing training. One function per state transition, each with the same steps in the
same order: access check (locking the row), status check, mutation with update_fields, history row,
job after commit with ids."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assmats.permissions import access_assmat_for_user, profil_de, structures_for_user
from comptes.models import Role, User
from formation import selectors, tasks
from formation.liens import enfant_du_jeton
from formation.models import (
    DemandeAccueilAlternatif,
    EnfantConcerne,
    HistoriqueInscription,
    Inscription,
    MiseEnRelation,
    OrganismeFormation,
    PropositionAccueilAlternatif,
    SessionFormation,
    SouhaitFormation,
    ThemeFormation,
    statuts_de_depart,
)
from formation.permissions import (
    access_demande_alternative_for_user,
    access_inscription_for_user,
    access_proposition_for_user,
    access_session_for_user,
    access_souhait_for_user,
    candidats_for_user,
    est_du_relais,
    souhaits_for_user,
)
from relais.models import Commune
from relais.permissions import access_relais_for_user
from relais.selectors import get_relais_de_la_commune


class ActionRefusee(Exception):
    """A refused action; the message is French and shown to the user as is."""


class TransitionInterdite(ActionRefusee):
    """The enrolment's or request's status does not allow this action."""


def exiger_relais(user: User) -> None:
    if not est_du_relais(user):
        raise PermissionDenied("Seule l'équipe du relais peut faire cette action.")


# --- Wishes ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def exprimer_souhait(
    *, par: User, theme: ThemeFormation, jours_preferes: str, commune: Commune, precisions: str = ""
) -> SouhaitFormation:
    assmat = profil_de(par)
    if SouhaitFormation.objects.actifs().filter(assistant_maternel=assmat, theme=theme).exists():
        raise ActionRefusee(f"Vous avez déjà exprimé un souhait sur le thème « {theme} ».")
    return SouhaitFormation.objects.create(
        assistant_maternel=assmat, theme=theme, jours_preferes=jours_preferes, commune=commune, precisions=precisions
    )


@transaction.atomic
def retirer_souhait(*, souhait_id: int, par: User) -> SouhaitFormation:
    """The wish leaves the needs report but stays as evidence of the collection."""
    souhait = access_souhait_for_user(par, souhait_id, lock=True)
    if par.role != Role.ASSMAT:
        raise PermissionDenied("Seul·e l'assistant·e maternel·le retire son souhait.")
    if souhait.retire_le is None:
        souhait.retire_le = timezone.now()
        souhait.save(update_fields=["retire_le"])
    return souhait


# --- Training bodies, sessions, mises en relation ------------------------------------------------------------------


@transaction.atomic
def enregistrer_organisme(*, organisme: OrganismeFormation, par: User) -> OrganismeFormation:
    exiger_relais(par)
    organisme.full_clean()
    organisme.save()
    return organisme


@transaction.atomic
def enregistrer_session(
    *, session: SessionFormation, par: User, souhaits: list[SouhaitFormation] | None = None
) -> SessionFormation:
    exiger_relais(par)
    access_relais_for_user(par, session.relais_id)
    if session.pk:
        # Locked, so that a capacity cut and a concurrent enrolment are counted one after the other.
        access_session_for_user(par, session.pk, lock=True)
        prises = selectors.places_prises(session)
        if session.capacite < prises:
            raise ActionRefusee(f"{prises} places sont déjà prises : la capacité ne peut pas descendre en dessous.")
    session.full_clean()
    session.save()
    if souhaits is not None:
        session.souhaits.set([s for s in souhaits if souhaits_for_user(par).filter(pk=s.pk).exists()])
    return session


@transaction.atomic
def enregistrer_mise_en_relation(
    *,
    par: User,
    relais_id: int,
    organisme: OrganismeFormation,
    date_envoi: date,
    souhait_ids: list[int],
    commentaire="",
) -> MiseEnRelation:
    exiger_relais(par)
    relais = access_relais_for_user(par, relais_id)
    souhaits = list(selectors.souhaits_du_relais(relais).filter(pk__in=souhait_ids).order_by("pk"))
    if not souhaits:
        raise ActionRefusee("Choisissez au moins un souhait à transmettre.")
    if date_envoi > timezone.localdate():
        raise ActionRefusee("La date d'envoi ne peut pas être dans le futur.")
    mise = MiseEnRelation.objects.create(
        relais=relais, organisme=organisme, date=date_envoi, commentaire=commentaire, enregistree_par=par
    )
    mise.souhaits.set(souhaits)
    return mise


# --- Enrolment lifecycle: inscrite → partie → suivie | annulee -------------------------------------------------------


def exiger_statut(inscription: Inscription, autorises: set[str] | frozenset[str]) -> None:
    if inscription.statut not in autorises:
        raise TransitionInterdite(
            f"Action impossible : l'inscription de {inscription.assistant_maternel} "
            f"est au statut « {inscription.get_statut_display()} »."
        )


def exiger_transition(objet: Inscription | DemandeAccueilAlternatif, service: str) -> None:
    """Refuses, in French, a move its model's `TRANSITIONS` does not declare from the record's status."""
    autorises = statuts_de_depart(type(objet), service)
    if isinstance(objet, Inscription):
        exiger_statut(objet, autorises)
    elif objet.statut not in autorises:
        raise TransitionInterdite(f"Action impossible : la demande est au statut « {objet.get_statut_display()} ».")


def _historiser(inscription: Inscription, de: str, par: User | None) -> None:
    HistoriqueInscription.objects.create(inscription=inscription, de=de, vers=inscription.statut, auteur=par)


def _inscrire(session: SessionFormation, assmat, par: User) -> Inscription:
    """Called with the session row locked: two enrolments on the last seat are counted one after the other."""
    if session.date_debut <= timezone.localdate():
        raise ActionRefusee("Les inscriptions à cette session sont closes : elle a déjà commencé.")
    if session.inscriptions.filter(
        assistant_maternel=assmat, statut__in=Inscription.STATUTS_OCCUPANT_UNE_PLACE
    ).exists():
        raise ActionRefusee(f"{assmat} est déjà inscrit·e à cette session.")
    if selectors.places_prises(session) >= session.capacite:
        raise ActionRefusee(f"La session « {session.intitule} » est complète : il ne reste plus de place.")
    inscription = Inscription.objects.create(session=session, assistant_maternel=assmat, inscrite_par=par)
    _historiser(inscription, "", par)
    return inscription


@transaction.atomic
def demander_inscription(*, session_id: int, par: User) -> Inscription:
    """The childminder enrols herself on a session with seats left."""
    assmat = profil_de(par)
    session = access_session_for_user(par, session_id, lock=True)
    return _inscrire(session, assmat, par)


@transaction.atomic
def inscrire(*, session_id: int, assmat_id: int, par: User) -> Inscription:
    """The relais enrols a childminder of its territories (after a phone call, for instance)."""
    exiger_relais(par)
    session = access_session_for_user(par, session_id, lock=True)
    assmat = access_assmat_for_user(par, assmat_id)
    return _inscrire(session, assmat, par)


@transaction.atomic
def marquer_partie(*, inscription_id: int, par: User) -> Inscription:
    """She left for training; the flag "thanks to the relais" is decided now, with its reasons, and kept."""
    exiger_relais(par)
    inscription = access_inscription_for_user(par, inscription_id, lock=True)
    exiger_transition(inscription, "marquer_partie")
    ancien, maintenant = inscription.statut, timezone.now()
    if maintenant < inscription.session.debut:
        raise ActionRefusee(
            f"La session commence le {timezone.localtime(inscription.session.debut):%d/%m/%Y à %H:%M} : le départ "
            f"de {inscription.assistant_maternel} en formation ne peut être enregistré qu'à partir de ce moment."
        )
    inscription.motifs_grace = selectors.motifs_grace_au_relais(inscription, avant=maintenant)
    inscription.statut, inscription.partie_le = Inscription.Statut.PARTIE, maintenant
    inscription.grace_au_relais = bool(inscription.motifs_grace)
    inscription.save(update_fields=["statut", "partie_le", "grace_au_relais", "motifs_grace", "updated_at"])
    _historiser(inscription, ancien, par)
    return inscription


@transaction.atomic
def marquer_suivie(*, inscription_id: int, par: User) -> Inscription:
    exiger_relais(par)
    inscription = access_inscription_for_user(par, inscription_id, lock=True)
    exiger_transition(inscription, "marquer_suivie")
    ancien = inscription.statut
    inscription.statut, inscription.terminee_le = Inscription.Statut.SUIVIE, timezone.now()
    inscription.save(update_fields=["statut", "terminee_le", "updated_at"])
    _historiser(inscription, ancien, par)
    return inscription


@transaction.atomic
def annuler_inscription(*, inscription_id: int, par: User) -> Inscription:
    """The relais cancels before or during the training; the childminder only before leaving.
    A cancelled departure keeps its date and flag: she did leave (mission 3 counts departures)."""
    inscription = access_inscription_for_user(par, inscription_id, lock=True)
    exiger_transition(inscription, "annuler_inscription")
    if not est_du_relais(par):
        exiger_statut(inscription, {Inscription.Statut.INSCRITE})
    ancien = inscription.statut
    inscription.statut, inscription.terminee_le = Inscription.Statut.ANNULEE, timezone.now()
    inscription.save(update_fields=["statut", "terminee_le", "updated_at"])
    _historiser(inscription, ancien, par)
    return inscription


# --- Children affected, and the parents' link ---------------------------------------------------------------------


@dataclass(frozen=True)
class EnfantDeclare:
    accueil_id: int
    email_parent: str = ""


@transaction.atomic
def declarer_enfants_concernes(
    *, inscription_id: int, par: User, enfants: list[EnfantDeclare]
) -> list[EnfantConcerne]:
    """The childminder names the children in her care on the session's days; each parent e-mail she gives
    receives, once, a signed link to ask the relais for alternative childcare."""
    inscription = access_inscription_for_user(par, inscription_id, lock=True)
    if par.role != Role.ASSMAT:
        raise PermissionDenied("Seul·e l'assistant·e maternel·le déclare les enfants qu'elle accueille.")
    exiger_statut(inscription, {Inscription.Statut.INSCRITE})
    possibles = {accueil.pk for accueil in selectors.enfants_presents_pendant(inscription)}
    if any(enfant.accueil_id not in possibles for enfant in enfants):
        raise ActionRefusee("Seuls les enfants que vous accueillez pendant la formation peuvent être déclarés.")
    choisis = {enfant.accueil_id: enfant.email_parent.strip().lower() for enfant in enfants}
    # Children no longer declared are removed unless a parent already filed a request for them.
    inscription.enfants_concernes.exclude(accueil_id__in=choisis).filter(demande__isnull=True).delete()
    declares = []
    for accueil_id, email in choisis.items():
        enfant, _ = EnfantConcerne.objects.get_or_create(inscription=inscription, accueil_id=accueil_id)
        if email != enfant.email_parent:
            enfant.email_parent, enfant.invitation_envoyee_le = email, None
            enfant.save(update_fields=["email_parent", "invitation_envoyee_le"])
        if enfant.email_parent and enfant.invitation_envoyee_le is None:
            transaction.on_commit(lambda pk=enfant.pk: tasks.inviter_parent.delay(pk))
        declares.append(enfant)
    return declares


# --- Alternative childcare --------------------------------------------------------------------------------------


def _verifier_dates(inscription: Inscription, date_debut: date, date_fin: date) -> None:
    session = inscription.session
    if date_fin < date_debut:
        raise ActionRefusee("La date de fin doit être après la date de début.")
    if date_debut < session.date_debut or date_fin > session.date_fin:
        raise ActionRefusee(
            f"Les dates doivent être comprises dans celles de la formation, "
            f"du {session.date_debut:%d/%m/%Y} au {session.date_fin:%d/%m/%Y}."
        )


def _relais_de(inscription: Inscription):
    """The relais of the childminder's territory answers her families; the session's relais otherwise."""
    return get_relais_de_la_commune(inscription.assistant_maternel.commune) or inscription.session.relais


@transaction.atomic
def deposer_demande_alternative(
    *, jeton: str, par: User, date_debut: date, date_fin: date, telephone: str = "", commentaire: str = ""
) -> DemandeAccueilAlternatif:
    """A parent, through the link the childminder's declaration sent, asks for alternative childcare."""
    if par.role != Role.PARENT:
        raise PermissionDenied("Seul un parent peut faire cette demande.")
    enfant = enfant_du_jeton(jeton)
    # Locked: a double click files one request (the one-to-one would refuse the second anyway).
    EnfantConcerne.objects.select_for_update().filter(pk=enfant.pk).order_by("pk").first()
    if DemandeAccueilAlternatif.objects.filter(enfant_concerne=enfant).exists():
        raise ActionRefusee(f"Une demande a déjà été déposée pour {enfant.accueil.prenom_enfant}.")
    inscription = enfant.inscription
    if inscription.statut == Inscription.Statut.ANNULEE:
        raise ActionRefusee(
            "La formation de votre assistant·e maternel·le a été annulée : elle accueille votre enfant."
        )
    _verifier_dates(inscription, date_debut, date_fin)
    demande = DemandeAccueilAlternatif.objects.create(
        relais=_relais_de(inscription),
        inscription=inscription,
        enfant_concerne=enfant,
        prenom_enfant=enfant.accueil.prenom_enfant,
        parent=par,
        nom_parent=par.get_full_name() or par.email,
        telephone_parent=telephone or par.telephone,
        email_parent=par.email,
        date_debut=date_debut,
        date_fin=date_fin,
        commentaire=commentaire,
        canal=DemandeAccueilAlternatif.Canal.EN_LIGNE,
    )
    transaction.on_commit(lambda: tasks.notifier_relais_demande.delay(demande.pk))
    return demande


@transaction.atomic
def enregistrer_demande_telephonique(
    *,
    par: User,
    inscription_id: int,
    prenom_enfant: str,
    nom_parent: str,
    date_debut: date,
    date_fin: date,
    telephone_parent: str = "",
    email_parent: str = "",
    commentaire: str = "",
) -> DemandeAccueilAlternatif:
    """The relais records a request a parent made by phone."""
    exiger_relais(par)
    inscription = access_inscription_for_user(par, inscription_id)
    _verifier_dates(inscription, date_debut, date_fin)
    return DemandeAccueilAlternatif.objects.create(
        relais=_relais_de(inscription),
        inscription=inscription,
        prenom_enfant=prenom_enfant,
        nom_parent=nom_parent,
        telephone_parent=telephone_parent,
        email_parent=email_parent,
        date_debut=date_debut,
        date_fin=date_fin,
        commentaire=commentaire,
        canal=DemandeAccueilAlternatif.Canal.TELEPHONE,
        enregistree_par=par,
    )


@transaction.atomic
def proposer_accueil_alternatif(
    *,
    demande_id: int,
    par: User,
    type: str,
    assmat_id: int | None = None,
    structure_id: int | None = None,
    description: str = "",
) -> PropositionAccueilAlternatif:
    """The relais proposes a solution; the parent is told by e-mail and answers online (or by phone)."""
    exiger_relais(par)
    demande = access_demande_alternative_for_user(par, demande_id, lock=True)
    exiger_transition(demande, "proposer_accueil_alternatif")
    Type = PropositionAccueilAlternatif.Type
    assmat = structure = None
    if type == Type.ASSMAT:
        if assmat_id is None or assmat_id not in {
            a.pk for a in selectors.candidats_assmats(candidats_for_user(par, demande.relais_id), demande)
        }:
            raise ActionRefusee(
                "Cet·te assistant·e maternel·le n'est pas disponible aux dates demandées : pas de place libre, "
                "ou en formation elle-même ces jours-là."
            )
        assmat = access_assmat_for_user(par, assmat_id)
    elif type == Type.STRUCTURE:
        structure = structures_for_user(par).filter(pk=structure_id).first()
        if structure is None:
            raise ActionRefusee("Choisissez une structure du territoire.")
    elif type != Type.AUTRE or not description.strip():
        raise ActionRefusee("Décrivez la solution proposée.")
    proposition = PropositionAccueilAlternatif.objects.create(
        demande=demande,
        type=type,
        assistant_maternel=assmat,
        structure=structure,
        description=description.strip(),
        propose_par=par,
    )
    demande.statut = DemandeAccueilAlternatif.Statut.PROPOSEE
    demande.save(update_fields=["statut"])
    transaction.on_commit(lambda: tasks.notifier_parent_proposition.delay(proposition.pk))
    return proposition


@transaction.atomic
def repondre_proposition(*, proposition_id: int, par: User, accepte: bool) -> PropositionAccueilAlternatif:
    """The parent (online) or the relais (after a call) records the answer."""
    proposition = access_proposition_for_user(par, proposition_id, lock=True)
    demande = access_demande_alternative_for_user(par, proposition.demande_id, lock=True)
    if proposition.reponse != PropositionAccueilAlternatif.Reponse.EN_ATTENTE:
        raise TransitionInterdite("Vous avez déjà répondu à cette proposition.")
    exiger_transition(demande, "repondre_proposition")
    Reponse, Statut = PropositionAccueilAlternatif.Reponse, DemandeAccueilAlternatif.Statut
    proposition.reponse = Reponse.ACCEPTEE if accepte else Reponse.REFUSEE
    proposition.repondu_le = timezone.now()
    proposition.save(update_fields=["reponse", "repondu_le"])
    demande.statut = Statut.ACCEPTEE if accepte else Statut.REFUSEE
    demande.save(update_fields=["statut"])
    return proposition
