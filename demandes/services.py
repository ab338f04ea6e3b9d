"""Writes on requests: one function per state transition, each with the same steps in the same order.

Access check (locking the row), status check, mutation with update_fields, history row, job after commit.
E-mails go through the outbox (`courriels`), written in the same transaction as the change.
"""

import logging
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assmats.permissions import access_assmat_for_user, access_structure_for_user
from comptes.compteurs import prochaine_reference
from comptes.models import Role, User
from courriels import services as courriels
from courriels.models import Email
from demandes import ics
from demandes.models import (
    STATUTS_OUVERTS,
    BrouillonDemande,
    CompteurReference,
    Demande,
    HistoriqueDemande,
    Mode,
    NotePrivee,
    ParametresClassement,
    Proposition,
    RendezVous,
    SolutionHorsProposition,
    Source,
    Statut,
    horaires_atypiques,
    normaliser_prenom,
    statuts_de_depart,
    sujet_des_emails,
)
from demandes.permissions import access_demande_for_user, est_de_l_equipe, exiger_famille, exiger_relais
from relais.emails import expediteur, signature
from relais.models import Commune
from relais.permissions import relais_for_user
from relais.selectors import get_relais_de_la_commune

logger = logging.getLogger(__name__)

SALT_INVITATION = "demandes.invitation-second-responsable"
DUREE_INVITATION = timedelta(days=30)


class TransitionInterdite(Exception):
    """The request's status does not allow this action; the message is shown to the user."""


class CommuneHorsTerritoire(ValueError):
    pass


class InvitationRetiree(PermissionDenied):
    """The parent no longer invites this second parent (removed, or another one invited instead)."""


class DemandeEnDouble(Exception):
    """The family already holds an open request for this child: update it instead."""

    def __init__(self, demande_id: int):
        super().__init__("Vous avez déjà une demande en cours pour cet enfant : vous pouvez la modifier.")
        self.demande_id = demande_id


@dataclass(frozen=True)
class DonneesDemande:
    """What the family fills in, as the form's cleaned data; field names are the model's."""

    telephone: str
    code_postal: str
    commune_id: int
    enfant_prenom: str
    enfant_date: date
    date_debut_souhaitee: date
    creneaux: list[dict]
    modes: list[str]
    situation_parent1: str
    enfant_a_naitre: bool = False
    premier_enfant: bool = False
    periscolaire: bool = False
    handicap: bool = False
    second_responsable_prenom: str = ""
    second_responsable_nom: str = ""
    second_responsable_email: str = ""
    parent_isole: bool = False
    situation_parent2: str = ""
    rsa: bool = False
    quotient_familial: int | None = None
    tranche_qf: str = ""
    numero_caf: str = ""
    urgence: bool = False
    urgence_motif: str = ""
    commentaire: str = ""
    champs_derives: dict = field(default_factory=dict, compare=False)

    def valeurs(self) -> dict:
        valeurs = asdict(self)
        valeurs.pop("champs_derives")
        valeurs["enfant_prenom"] = valeurs["enfant_prenom"].strip()
        valeurs["enfant_prenom_normalise"] = normaliser_prenom(self.enfant_prenom)
        valeurs["horaires_atypiques"] = horaires_atypiques(self.creneaux)
        valeurs["second_responsable_email"] = valeurs["second_responsable_email"].strip().lower()
        return valeurs


# How a closed request ended, in words a family understands, for the refusal of any later move.
FINS = {
    Statut.SOLUTION_TROUVEE: "une solution d'accueil a été trouvée le {le}",
    Statut.SANS_SOLUTION: "le relais l'a close sans solution d'accueil le {le}",
    Statut.RETIREE: "elle a été retirée le {le}",
    Statut.CLOTUREE: "elle a été clôturée le {le}, faute de réponse de la famille",
}


def exiger_transition(demande: Demande, service: str, *, refus: str = "") -> None:
    """Refuses, with a French message, a move that `Demande.TRANSITIONS` does not declare from the request's status;
    `refus` says it in the words of the person asking, when « action impossible » would not tell them why."""
    autorises = statuts_de_depart(service)
    if demande.statut in autorises:
        return
    if refus:
        raise TransitionInterdite(refus)
    if autorises == {Statut.NOUVELLE} and demande.prise_par_id:  # taking it in charge: a colleague was quicker
        qui = demande.prise_par.get_full_name() or demande.prise_par.email
        raise TransitionInterdite(f"Cette demande a déjà été prise en charge par {qui}.")
    if demande.statut in FINS:
        # Mostly a form sent twice, or a page left open: say what happened to the request, not who followed it.
        fin = FINS[demande.statut].format(le=f"{timezone.localtime(demande.statut_modifie_at):%d/%m/%Y}")
        raise TransitionInterdite(f"Cette demande est close : {fin}. Elle ne peut plus être changée.")
    raise TransitionInterdite(
        f"Action impossible : la demande {demande.reference} est au statut « {demande.get_statut_display()} »."
    )


def _historiser(
    demande: Demande, de: str, par: User | None, note: str = "", *, suivre: bool = True
) -> HistoriqueDemande:
    if suivre and par is not None and par.pk != demande.prise_par_id and est_de_l_equipe(par):
        # « Suivie par » names whoever last acted for the relais: the colleague who took over a request during a
        # holiday is the one the family and the team must ask.
        demande.prise_par = par
        demande.save(update_fields=["prise_par", "updated_at"])
    return HistoriqueDemande.objects.create(demande=demande, de=de, vers=demande.statut, auteur=par, note=note)


def _changer_statut(demande: Demande, vers: str, *champs: str) -> str:
    ancien = demande.statut
    demande.statut, demande.statut_modifie_at = vers, timezone.now()
    demande.save(update_fields=["statut", "statut_modifie_at", "updated_at", *champs])
    if vers not in STATUTS_OUVERTS:
        # Changes begun on a request now closed could never be sent: « reprendre la saisie » would lead nowhere.
        BrouillonDemande.objects.filter(demande=demande).delete()
    return ancien


def relais_de_la_commune(commune_id: int):
    commune = Commune.objects.filter(pk=commune_id).first()
    relais = get_relais_de_la_commune(commune) if commune else None
    if relais is None:
        nom = commune.nom if commune else "indiquée"
        raise CommuneHorsTerritoire(
            f"La commune {nom} n'est desservie par aucun relais du guichet : votre demande ne peut pas être "
            "déposée ici. Contactez la mairie de votre commune ou le relais le plus proche."
        )
    return relais


# --- E-mails through the outbox --------------------------------------------------------------------------------


def mettre_en_file_email(
    *,
    destinataires: list[str],
    sujet: str,
    template: str,
    contexte: dict,
    demande: Demande | None = None,
    piece_jointe: tuple[str, str, str] | None = None,
) -> list[Email]:
    """Writes the e-mails in the caller's transaction; the drain is asked for once it commits. An e-mail about
    a request comes from its relais, and replies go to the relais."""
    relais = demande.relais if demande is not None else None
    corps = render_to_string(template, {"site_url": settings.SITE_URL, "signature": signature(relais), **contexte})
    envoi = expediteur(relais)
    return [
        courriels.mettre_en_file(
            destinataire=destinataire,
            sujet=sujet,
            corps=corps,
            expediteur=envoi["from_email"],
            reply_to=envoi["reply_to"],
            piece_jointe=piece_jointe,
            sujet_de=sujet_des_emails(demande.pk) if demande is not None else "",
        )
        for destinataire in dict.fromkeys(d for d in destinataires if d)
    ]


def _destinataires_famille(demande: Demande) -> list[str]:
    destinataires = [demande.parent.email]
    if demande.second_responsable_id:
        destinataires.append(demande.second_responsable.email)
    return destinataires


def _notifier_famille(demande: Demande, sujet: str, message: str, **kwargs) -> None:
    mettre_en_file_email(
        destinataires=_destinataires_famille(demande),
        sujet=f"[Guichet RPE] {sujet} – {demande.reference}",
        template="demandes/emails/evolution.txt",
        contexte={"demande": demande, "message": message, "lien": reverse("demandes:detail", args=[demande.pk])},
        demande=demande,
        **kwargs,
    )


def notifier_animatrice(demande: Demande, sujet: str, message: str) -> None:
    """E-mails the animator who took the request, if any (the family withdrew it, or deleted its account)."""
    if not demande.prise_par_id:
        return
    mettre_en_file_email(
        destinataires=[demande.prise_par.email],
        sujet=f"[Guichet RPE] Demande {demande.reference} {sujet}",
        template="demandes/emails/evolution.txt",
        contexte={"demande": demande, "message": message, "lien": reverse("demandes:detail", args=[demande.pk])},
        demande=demande,
    )


def jeton_invitation(demande: Demande) -> str:
    return signing.dumps({"d": demande.pk, "e": demande.second_responsable_email}, salt=SALT_INVITATION)


def _inviter_second_responsable(demande: Demande) -> None:
    if not demande.second_responsable_email:
        return
    mettre_en_file_email(
        destinataires=[demande.second_responsable_email],
        sujet=f"[Guichet RPE] Accès à la demande d'accueil {demande.reference}",
        template="demandes/emails/invitation.txt",
        contexte={
            "demande": demande,
            "lien": reverse("demandes:invitation", args=[jeton_invitation(demande)]),
            "parent": demande.parent.get_full_name() or demande.parent.email,
        },
        demande=demande,
    )


# --- The family ----------------------------------------------------------------------------------------------


@transaction.atomic
def deposer(
    *,
    parent: User,
    donnees: DonneesDemande,
    jeton: uuid.UUID | None = None,
    source: str = Source.EN_LIGNE,
    saisie_par: User | None = None,
    note: str = "",
    confirmer: bool = True,
) -> Demande:
    """La famille dépose sa demande, une fois et une seule : un jeton déjà utilisé rend la demande existante,
    une demande ouverte pour le même enfant lève DemandeEnDouble. `source`/`saisie_par` : demande reçue par
    téléphone ou à l'accueil et saisie par le relais (`saisir_pour_une_famille`), ou orientée par un partenaire
    (`orientations`, qui écrit alors sa propre note d'historique et son propre courriel : `note`, `confirmer`)."""
    if jeton and (existante := Demande.objects.filter(jeton_depot=jeton, parent=parent).first()):
        return existante
    relais = relais_de_la_commune(donnees.commune_id)
    valeurs = donnees.valeurs()
    maintenant = timezone.now()
    try:
        with transaction.atomic():
            demande = Demande.objects.create(
                **valeurs,
                reference=prochaine_reference(CompteurReference, "RPE", timezone.localdate().year),
                jeton_depot=jeton,
                parent=parent,
                relais=relais,
                statut=Statut.NOUVELLE,
                date_depot=maintenant,
                statut_modifie_at=maintenant,
                consentement_at=maintenant,
                source=source,
                saisie_par=saisie_par,
            )
    except IntegrityError:
        # A concurrent submission of the same form (double click) or of the same child won the race.
        if jeton and (existante := Demande.objects.filter(jeton_depot=jeton, parent=parent).first()):
            return existante
        raise DemandeEnDouble(_demande_ouverte_du_meme_enfant(parent, valeurs)) from None
    if saisie_par is None:
        _historiser(demande, "", parent, "Demande déposée en ligne.")
    else:
        note = note or f"Demande reçue {demande.get_source_display().lower()}."
        _historiser(demande, "", saisie_par, note, suivre=False)
    BrouillonDemande.objects.filter(parent=parent).delete()
    if confirmer:
        mettre_en_file_email(
            destinataires=[parent.email],
            sujet=f"[Guichet RPE] Votre demande d'accueil {demande.reference} est enregistrée",
            template="demandes/emails/confirmation.txt",
            contexte={"demande": demande, "lien": reverse("demandes:detail", args=[demande.pk])},
            demande=demande,
        )
    _inviter_second_responsable(demande)
    return demande


class AdresseDUnAutreCompte(ValueError):
    pass


@transaction.atomic
def saisir_pour_une_famille(
    *, par: User, prenom: str, nom: str, email: str, source: str, donnees: DonneesDemande
) -> Demande:
    """Le relais saisit la demande d'une famille reçue par téléphone ou à l'accueil : mêmes règles qu'en ligne.
    La demande appartient au compte de la famille (créé sans mot de passe s'il n'existe pas) : la famille le
    réclame plus tard avec son adresse e-mail (« mot de passe oublié »), et la suit comme si elle l'avait déposée.
    """
    exiger_relais(par)
    if source not in (Source.TELEPHONE, Source.ACCUEIL):
        raise TransitionInterdite("Indiquez comment la demande a été reçue : par téléphone ou à l'accueil.")
    relais = relais_de_la_commune(donnees.commune_id)
    if not relais_for_user(par).filter(pk=relais.pk).exists():
        raise CommuneHorsTerritoire(f"Cette commune relève du {relais.nom} : transmettez-lui la demande.")
    parent = compte_de_la_famille(prenom=prenom, nom=nom, email=email)
    return deposer(parent=parent, donnees=donnees, source=source, saisie_par=par)


def compte_de_la_famille(*, prenom: str, nom: str, email: str) -> User:
    """The family's account for a request someone files on its behalf: its own if the address has one, else a new
    one without a password, that the family claims later with « mot de passe oublié »."""
    email = email.strip().lower()
    parent = User.objects.filter(email__iexact=email).first()
    if parent is None:
        parent = User(email=email, first_name=prenom.strip(), last_name=nom.strip(), role=Role.PARENT)
        parent.set_unusable_password()
        parent.save()
    elif parent.role != Role.PARENT:
        raise AdresseDUnAutreCompte(
            "Cette adresse e-mail est celle d'un compte professionnel : indiquez celle de la famille."
        )
    return parent


def _demande_ouverte_du_meme_enfant(parent: User, valeurs: dict) -> int:
    return (
        Demande.objects.filter(
            parent=parent,
            enfant_prenom_normalise=valeurs["enfant_prenom_normalise"],
            enfant_date=valeurs["enfant_date"],
            statut__in=STATUTS_OUVERTS,
        )
        .values_list("pk", flat=True)
        .get()
    )


def demande_ouverte_du_meme_enfant(*, parent: User, enfant_prenom: str, enfant_date: date) -> int | None:
    """The open request of this parent for this child, if any (the form then updates it)."""
    return (
        Demande.objects.filter(
            parent=parent,
            enfant_prenom_normalise=normaliser_prenom(enfant_prenom),
            enfant_date=enfant_date,
            statut__in=STATUTS_OUVERTS,
        )
        .values_list("pk", flat=True)
        .first()
    )


@transaction.atomic
def modifier(*, demande_id: int, par: User, donnees: DonneesDemande) -> Demande:
    """La famille modifie sa demande tant qu'elle est ouverte ; le relais ne change plus une fois pris en charge."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_famille(par, demande)
    exiger_transition(demande, "modifier")
    relais = relais_de_la_commune(donnees.commune_id)
    if relais.pk != demande.relais_id and demande.statut != Statut.NOUVELLE:
        raise TransitionInterdite(
            "Votre demande est déjà suivie par un relais : pour un changement de commune, contactez-le."
        )
    valeurs = donnees.valeurs()
    invitation = valeurs["second_responsable_email"] != demande.second_responsable_email
    for nom, valeur in valeurs.items():
        setattr(demande, nom, valeur)
    demande.relais = relais
    if invitation:
        demande.second_responsable = None
    try:
        with transaction.atomic():
            demande.save(update_fields=[*valeurs, "relais", "second_responsable", "updated_at"])
    except IntegrityError:
        raise DemandeEnDouble(_demande_ouverte_du_meme_enfant(demande.parent, valeurs)) from None
    _historiser(demande, demande.statut, par, "Demande modifiée par la famille.")
    BrouillonDemande.objects.filter(parent=par).delete()
    if invitation:
        _inviter_second_responsable(demande)
    return demande


@transaction.atomic
def retirer(*, demande_id: int, par: User, motif: str) -> Demande:
    """La famille retire sa demande (motif obligatoire)."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_famille(par, demande)
    exiger_transition(demande, "retirer")
    demande.motif_fin = motif.strip()
    ancien = _changer_statut(demande, Statut.RETIREE, "motif_fin")
    _historiser(demande, ancien, par, motif)
    raison = f"Demande retirée par la famille : {demande.motif_fin}" if demande.motif_fin else "Demande retirée."
    rendez_vous = annuler_le_rendez_vous_a_venir(demande, raison)
    if rendez_vous is not None:  # otherwise the family, who withdrew, has nothing to learn
        _notifier_la_fin(demande, "Demande retirée", "Vous avez retiré votre demande.", rendez_vous)
    notifier_animatrice(demande, "retirée par la famille", f"La famille a retiré sa demande. Motif : {motif}")
    return demande


@transaction.atomic
def accepter_invitation(*, jeton: str, par: User) -> Demande:
    """Le second responsable, connecté avec l'adresse invitée (donc vérifiée), accède à la demande."""
    try:
        contenu = signing.loads(jeton, salt=SALT_INVITATION, max_age=DUREE_INVITATION)
    except signing.BadSignature:
        raise PermissionDenied("Ce lien d'invitation n'est pas valide ou a expiré.") from None
    demande = Demande.objects.select_for_update(of=("self",)).filter(pk=contenu["d"]).first()
    email = contenu["e"].lower()
    if demande is not None and demande.second_responsable_email.lower() != email:
        raise InvitationRetiree("Le parent qui vous avait invité·e a retiré cette invitation.")
    if demande is None or demande.second_responsable_email.lower() != email or par.email.lower() != email:
        raise PermissionDenied(
            "Ce lien est réservé à la personne invitée : connectez-vous avec l'adresse e-mail qui l'a reçu."
        )
    if demande.parent_id == par.pk or demande.second_responsable_id == par.pk:
        return demande
    demande.second_responsable = par
    demande.save(update_fields=["second_responsable", "updated_at"])
    _historiser(demande, demande.statut, par, "Le second responsable a accepté l'invitation.")
    return demande


@transaction.atomic
def enregistrer_etape(*, parent: User, etape: str, donnees: dict) -> BrouillonDemande:
    """Stores a valid step of the form in the parent's draft, so that they can leave and resume."""
    brouillon, _ = BrouillonDemande.objects.select_for_update().get_or_create(parent=parent)
    brouillon.donnees = {**brouillon.donnees, etape: donnees}
    brouillon.save(update_fields=["donnees", "updated_at"])
    return brouillon


@transaction.atomic
def commencer_modification(*, demande_id: int, par: User, donnees: dict) -> BrouillonDemande:
    """The draft now modifies this open request (started from its values, or from what the family just typed)."""
    demande = access_demande_for_user(par, demande_id)
    exiger_famille(par, demande)
    exiger_transition(demande, "modifier")  # the draft ends in `modifier`
    brouillon, _ = BrouillonDemande.objects.update_or_create(
        parent=par, defaults={"demande": demande, "donnees": donnees, "jeton": uuid.uuid4()}
    )
    return brouillon


def abandonner_brouillon(*, parent: User) -> None:
    BrouillonDemande.objects.filter(parent=parent).delete()


# --- The relais -------------------------------------------------------------------------------------------------


@transaction.atomic
def prendre_en_charge(*, demande_id: int, par: User) -> Demande:
    """L'animatrice prend la demande en charge. Une seule personne peut la prendre."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    exiger_transition(demande, "prendre_en_charge")
    demande.prise_par = par
    ancien = _changer_statut(demande, Statut.PRISE_EN_CHARGE, "prise_par")
    _historiser(demande, ancien, par)
    return demande


def _le(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y à %H:%M}"


def _rendez_vous_prevu(demande: Demande) -> RendezVous:
    rendez_vous = (
        RendezVous.objects.select_for_update().filter(demande=demande, statut=RendezVous.Statut.PREVU).first()
    )
    if rendez_vous is None:
        raise TransitionInterdite(f"La demande {demande.reference} n'a pas de rendez-vous prévu.")
    return rendez_vous


def _calendrier_joint(demande: Demande, rendez_vous: RendezVous, *, annule=False) -> tuple[str, str, str]:
    """The calendar file for the family: an invitation, or the cancellation of the same event."""
    fabrique = ics.annulation if annule else ics.invitation
    return ("rendez-vous.ics", "text/calendar", fabrique(rendez_vous, participants=_destinataires_famille(demande)))


def _envoyer_le_rendez_vous(demande: Demande, rendez_vous: RendezVous, *, sujet: str, template: str, annule=False):
    """The e-mail and its calendar file: an invitation, or the cancellation of the same event."""
    mettre_en_file_email(
        destinataires=_destinataires_famille(demande),
        sujet=f"[Guichet RPE] {sujet} – {demande.reference}",
        template=template,
        contexte={"demande": demande, "rdv": rendez_vous, "lien": reverse("demandes:detail", args=[demande.pk])},
        demande=demande,
        piece_jointe=_calendrier_joint(demande, rendez_vous, annule=annule),
    )


def _marquer_annule(rendez_vous: RendezVous, motif: str) -> None:
    rendez_vous.statut, rendez_vous.issue_le = RendezVous.Statut.ANNULE, timezone.now()
    rendez_vous.motif_annulation = motif.strip()
    rendez_vous.sequence += 1  # the cancellation is the event's next version in the family's calendar
    rendez_vous.save(update_fields=["statut", "issue_le", "motif_annulation", "sequence"])


def annuler_le_rendez_vous_a_venir(demande: Demande, motif: str) -> RendezVous | None:
    """A request that closes cancels the appointment it was still waiting for, in the closing's transaction: nobody
    will come to it, and the family's calendar and the pages must stop showing it. One whose time has passed without
    its outcome noted stays as it is: whether the family came is a fact for the team to record, not a cancellation
    (the indicators count it as a first appointment). The caller tells the family (`_notifier_la_fin`)."""
    rendez_vous = (
        RendezVous.objects.select_for_update()
        .filter(demande=demande, statut=RendezVous.Statut.PREVU, debut__gt=timezone.now())
        .first()
    )
    if rendez_vous is not None:
        _marquer_annule(rendez_vous, motif or "Demande close.")
    return rendez_vous


def _notifier_la_fin(demande: Demande, sujet: str, message: str, rendez_vous: RendezVous | None) -> None:
    """The closing's e-mail to the family; an appointment it cancelled rides along as the cancellation of the same
    calendar event (same UID, next SEQUENCE), so the family receives one e-mail saying both."""
    if rendez_vous is None:
        _notifier_famille(demande, sujet, message)
        return
    annonce = f"Votre rendez-vous du {_le(rendez_vous.debut)} est annulé : le fichier joint le retire de votre agenda."
    _notifier_famille(
        demande,
        sujet,
        f"{message}\n\n{annonce}" if message else annonce,
        piece_jointe=_calendrier_joint(demande, rendez_vous, annule=True),
    )


@transaction.atomic
def proposer_rendez_vous(
    *, demande_id: int, par: User, debut: datetime, modalite: str, lieu: str = "", duree_minutes: int = 45
) -> RendezVous:
    """L'animatrice propose un rendez-vous ; la famille le reçoit par e-mail avec un fichier ICS."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    if prevu := demande.rendez_vous.filter(statut=RendezVous.Statut.PREVU).first():
        raise TransitionInterdite(f"Un rendez-vous est déjà prévu le {_le(prevu.debut)} : déplacez-le ou annulez-le.")
    exiger_transition(demande, "proposer_rendez_vous")
    rendez_vous = RendezVous.objects.create(
        demande=demande, debut=debut, duree_minutes=duree_minutes, modalite=modalite, lieu=lieu.strip(), auteur=par
    )
    ancien = _changer_statut(demande, Statut.RDV_PROPOSE)
    _historiser(demande, ancien, par, f"Rendez-vous le {_le(debut)}.")
    _envoyer_le_rendez_vous(
        demande, rendez_vous, sujet="Rendez-vous pour votre demande", template="demandes/emails/rendez_vous.txt"
    )
    return rendez_vous


@transaction.atomic
def deplacer_rendez_vous(
    *, demande_id: int, par: User, debut: datetime, modalite: str, lieu: str = "", duree_minutes: int = 45
) -> RendezVous:
    """L'animatrice déplace le rendez-vous prévu : le même, à une autre heure ; la famille reçoit l'invitation mise à
    jour (même UID, SEQUENCE suivante), qui remplace l'ancienne dans son agenda."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    exiger_transition(demande, "deplacer_rendez_vous")
    rendez_vous = _rendez_vous_prevu(demande)
    lieu = lieu.strip() if modalite == RendezVous.Modalite.SUR_PLACE else ""
    nouveau = (debut, duree_minutes, modalite, lieu)
    if nouveau == (rendez_vous.debut, rendez_vous.duree_minutes, rendez_vous.modalite, rendez_vous.lieu):
        raise TransitionInterdite("Le rendez-vous est déjà prévu ainsi : changez la date, l'heure ou le lieu.")
    ancien_debut = rendez_vous.debut
    rendez_vous.debut, rendez_vous.duree_minutes, rendez_vous.modalite, rendez_vous.lieu = nouveau
    rendez_vous.sequence += 1
    # The family answered about the old time: it is asked again about the new one.
    rendez_vous.reponse_famille, rendez_vous.reponse_famille_le, rendez_vous.message_famille = "", None, ""
    rendez_vous.save(
        update_fields=[
            "debut",
            "duree_minutes",
            "modalite",
            "lieu",
            "sequence",
            "reponse_famille",
            "reponse_famille_le",
            "message_famille",
        ]
    )
    # A new time is news for the family: the delay before closing without an answer starts again.
    ancien = _changer_statut(demande, Statut.RDV_PROPOSE)
    _historiser(demande, ancien, par, f"Rendez-vous du {_le(ancien_debut)} déplacé au {_le(debut)}.")
    _envoyer_le_rendez_vous(
        demande, rendez_vous, sujet="Votre rendez-vous est déplacé", template="demandes/emails/rendez_vous_deplace.txt"
    )
    return rendez_vous


@transaction.atomic
def annuler_rendez_vous(*, demande_id: int, par: User, motif: str) -> RendezVous:
    """L'animatrice annule le rendez-vous prévu (motif obligatoire) : la demande revient « prise en charge », la
    famille reçoit l'annulation qui retire le rendez-vous de son agenda."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    exiger_transition(demande, "annuler_rendez_vous")
    if not motif.strip():
        raise TransitionInterdite("Indiquez pourquoi le rendez-vous est annulé.")
    rendez_vous = _rendez_vous_prevu(demande)
    _marquer_annule(rendez_vous, motif)
    ancien = _changer_statut(demande, Statut.PRISE_EN_CHARGE)
    _historiser(
        demande, ancien, par, f"Rendez-vous du {_le(rendez_vous.debut)} annulé : {rendez_vous.motif_annulation}"
    )
    _envoyer_le_rendez_vous(
        demande,
        rendez_vous,
        sujet="Votre rendez-vous est annulé",
        template="demandes/emails/rendez_vous_annule.txt",
        annule=True,
    )
    return rendez_vous


def _noter_l_issue(demande_id: int, par: User, issue: str, service: str) -> tuple[Demande, RendezVous]:
    """Held or missed: only once the appointment has started."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    exiger_transition(demande, service)
    rendez_vous = _rendez_vous_prevu(demande)
    maintenant = timezone.now()
    if rendez_vous.debut > maintenant:
        raise TransitionInterdite(
            f"Le rendez-vous n'a pas encore eu lieu (prévu le {_le(rendez_vous.debut)}) : "
            "son issue se note une fois l'heure passée. Pour le changer, déplacez-le ou annulez-le."
        )
    rendez_vous.statut, rendez_vous.issue_le = issue, maintenant
    rendez_vous.save(update_fields=["statut", "issue_le"])
    return demande, rendez_vous


@transaction.atomic
def noter_rendez_vous_realise(*, demande_id: int, par: User, note: str = "") -> Demande:
    """L'animatrice note que le rendez-vous a eu lieu : viennent ensuite les propositions."""
    demande, rendez_vous = _noter_l_issue(demande_id, par, RendezVous.Statut.REALISE, "noter_rendez_vous_realise")
    ancien = _changer_statut(demande, Statut.RDV_REALISE)
    _historiser(demande, ancien, par, note.strip())
    return demande


@transaction.atomic
def noter_famille_absente(*, demande_id: int, par: User, note: str = "") -> Demande:
    """La famille n'est pas venue (ou n'a pas répondu à l'appel) : la demande reste ouverte, « prise en charge »,
    pour qu'un autre rendez-vous lui soit proposé."""
    demande, rendez_vous = _noter_l_issue(demande_id, par, RendezVous.Statut.FAMILLE_ABSENTE, "noter_famille_absente")
    ancien = _changer_statut(demande, Statut.PRISE_EN_CHARGE)
    texte = f"Famille absente au rendez-vous du {_le(rendez_vous.debut)}."
    _historiser(demande, ancien, par, f"{texte} {note.strip()}".strip())
    return demande


def _rendez_vous_a_venir_de_la_famille(demande_id: int, par: User, service: str) -> tuple[Demande, RendezVous]:
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_famille(par, demande)
    exiger_transition(demande, service)
    rendez_vous = _rendez_vous_prevu(demande)
    if rendez_vous.debut <= timezone.now():
        raise TransitionInterdite("Ce rendez-vous est passé : contactez le relais si besoin.")
    return demande, rendez_vous


@transaction.atomic
def confirmer_rendez_vous(*, demande_id: int, par: User) -> RendezVous:
    """La famille confirme qu'elle viendra (ou sera joignable) ; l'animatrice le voit sur la demande."""
    demande, rendez_vous = _rendez_vous_a_venir_de_la_famille(demande_id, par, "confirmer_rendez_vous")
    if rendez_vous.reponse_famille == RendezVous.ReponseFamille.CONFIRME:
        return rendez_vous
    rendez_vous.reponse_famille = RendezVous.ReponseFamille.CONFIRME
    rendez_vous.reponse_famille_le, rendez_vous.message_famille = timezone.now(), ""
    rendez_vous.save(update_fields=["reponse_famille", "reponse_famille_le", "message_famille"])
    _historiser(demande, demande.statut, par, f"La famille confirme le rendez-vous du {_le(rendez_vous.debut)}.")
    return rendez_vous


@transaction.atomic
def demander_deplacement(*, demande_id: int, par: User, message: str) -> RendezVous:
    """La famille demande à déplacer le rendez-vous, avec un message ; l'animatrice en est prévenue par e-mail et
    le déplace (ou l'annule) elle-même."""
    if not message.strip():
        raise TransitionInterdite("Indiquez au relais quand vous seriez disponible.")
    demande, rendez_vous = _rendez_vous_a_venir_de_la_famille(demande_id, par, "demander_deplacement")
    rendez_vous.reponse_famille = RendezVous.ReponseFamille.A_DEPLACER
    rendez_vous.reponse_famille_le, rendez_vous.message_famille = timezone.now(), message.strip()
    rendez_vous.save(update_fields=["reponse_famille", "reponse_famille_le", "message_famille"])
    texte = f"La famille souhaite déplacer le rendez-vous du {_le(rendez_vous.debut)} : {rendez_vous.message_famille}"
    _historiser(demande, demande.statut, par, texte)
    notifier_animatrice(demande, "rendez-vous à déplacer", texte)
    return rendez_vous


@transaction.atomic
def enregistrer_proposition(
    *,
    demande_id: int,
    par: User,
    mode: str,
    description: str = "",
    assistant_maternel_id: int | None = None,
    structure_id: int | None = None,
) -> Proposition:
    """L'animatrice propose à la famille un·e assistant·e maternel·le, une structure, ou une solution décrite."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    exiger_transition(demande, "enregistrer_proposition")
    assmat = access_assmat_for_user(par, assistant_maternel_id) if assistant_maternel_id else None
    structure = access_structure_for_user(par, structure_id) if structure_id else None
    if assmat and demande.propositions.filter(assistant_maternel=assmat).exists():
        raise TransitionInterdite(f"{assmat} a déjà été proposé·e pour cette demande.")
    if assmat:
        mode, description = Mode.ASSMAT, description or f"{assmat.nom_public}, {assmat.commune.nom}"
    elif structure:
        mode = Mode.MAM if structure.type == "mam" else Mode.CRECHE
        description = description or f"{structure.nom}, {structure.commune.nom}"
    if not description.strip():
        raise TransitionInterdite("Décrivez la proposition faite à la famille.")
    proposition = Proposition.objects.create(
        demande=demande,
        mode=mode,
        description=description.strip(),
        assistant_maternel=assmat,
        structure=structure,
        auteur=par,
    )
    ancien = _changer_statut(demande, Statut.PROPOSITIONS_FAITES)
    _historiser(demande, ancien, par, f"Proposition : {proposition.get_mode_display()}.")
    _notifier_famille(demande, "Une proposition d'accueil", f"{proposition.get_mode_display()} : {description}")
    if assmat and assmat.email:
        mettre_en_file_email(
            destinataires=[assmat.email],
            sujet="[Guichet RPE] Une famille pourrait vous confier son enfant",
            template="demandes/emails/proposition_assmat.txt",
            contexte={"demande": demande, "assmat": assmat, "lien": reverse("demandes:propositions_assmat")},
            demande=demande,
        )
    return proposition


@transaction.atomic
def repondre_proposition(*, proposition_id: int, par: User, accepte: bool) -> Proposition:
    """The proposed childminder accepts to be contacted by the family, or declines; the family is told."""
    proposition = (
        Proposition.objects.select_for_update(of=("self",))
        .select_related("demande__relais", "assistant_maternel")
        .filter(assistant_maternel__user=par)
        .filter(pk=proposition_id)
        .first()
    )
    if proposition is None:
        raise Http404("Proposition introuvable.")
    if proposition.reponse_assmat:
        raise TransitionInterdite("Vous avez déjà répondu à cette proposition.")
    exiger_transition(
        proposition.demande,
        "repondre_proposition",
        refus="Cette demande est close : la famille a trouvé une solution ou s'est retirée.",
    )
    proposition.reponse_assmat = Proposition.Reponse.ACCEPTE if accepte else Proposition.Reponse.DECLINE
    proposition.repondu_le = timezone.now()
    proposition.save(update_fields=["reponse_assmat", "repondu_le"])
    demande = proposition.demande
    _historiser(
        demande, demande.statut, par, f"{proposition.assistant_maternel} {proposition.get_reponse_assmat_display()}."
    )
    if accepte:
        assmat = proposition.assistant_maternel
        _notifier_famille(
            demande,
            "Une assistante maternelle accepte d'être contactée",
            f"{assmat.prenom} {assmat.nom} ({assmat.commune.nom}) accepte que vous la contactiez : "
            f"{assmat.telephone or assmat.email}.",
        )
    return proposition


@transaction.atomic
def enregistrer_solution(
    *,
    demande_id: int,
    par: User,
    mode: str = "",
    description: str = "",
    proposition_id: int | None = None,
    hors_proposition: str = "",
) -> Demande:
    """La famille a obtenu une solution d'accueil : laquelle, et d'où elle vient — la proposition retenue, ou
    pourquoi aucune (trouvée par la famille elle-même…)."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    exiger_transition(demande, "enregistrer_solution")
    if bool(proposition_id) == bool(hors_proposition):
        raise TransitionInterdite(
            "Indiquez la proposition retenue, ou pourquoi la solution ne vient d'aucune proposition."
        )
    if hors_proposition and hors_proposition not in SolutionHorsProposition.values:
        raise TransitionInterdite("Choisissez d'où vient la solution dans la liste.")
    proposition = demande.propositions.filter(pk=proposition_id).first() if proposition_id else None
    if proposition_id and proposition is None:
        raise TransitionInterdite("Cette proposition n'a pas été faite pour cette demande.")
    if proposition is not None:
        mode, description = mode or proposition.mode, description.strip() or proposition.description
    if not mode or not description.strip():
        raise TransitionInterdite("Indiquez le mode d'accueil et la solution obtenue.")
    demande.solution_mode, demande.solution_description = mode, description.strip()
    demande.proposition_retenue, demande.solution_hors_proposition = proposition, hors_proposition
    ancien = _changer_statut(
        demande,
        Statut.SOLUTION_TROUVEE,
        "solution_mode",
        "solution_description",
        "proposition_retenue",
        "solution_hors_proposition",
    )
    origine = (
        f"proposition du {timezone.localtime(proposition.created_at):%d/%m/%Y} retenue"
        if proposition
        else demande.get_solution_hors_proposition_display().lower()
    )
    _historiser(demande, ancien, par, f"Solution : {demande.get_solution_mode_display()} ({origine}).")
    _notifier_famille(
        demande,
        "Solution d'accueil trouvée",
        f"{demande.get_solution_mode_display()} : {demande.solution_description}",
    )
    return demande


@transaction.atomic
def declarer_sans_solution(*, demande_id: int, par: User, motif: str) -> Demande:
    """Le relais n'a pas trouvé de solution (motif obligatoire) : la demande compte dans les besoins non satisfaits."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    exiger_transition(demande, "declarer_sans_solution")
    demande.motif_fin = motif.strip()
    ancien = _changer_statut(demande, Statut.SANS_SOLUTION, "motif_fin")
    _historiser(demande, ancien, par, motif)
    rendez_vous = annuler_le_rendez_vous_a_venir(demande, f"Sans solution : {demande.motif_fin}")
    _notifier_la_fin(demande, "Pas de solution d'accueil à ce jour", demande.motif_fin, rendez_vous)
    return demande


@transaction.atomic
def ajouter_note_privee(*, demande_id: int, par: User, texte: str) -> NotePrivee:
    """Une note que seule l'équipe du relais voit ; pas de changement de statut."""
    demande = access_demande_for_user(par, demande_id)
    exiger_relais(par)
    return NotePrivee.objects.create(demande=demande, auteur=par, texte=texte.strip())


@transaction.atomic
def cloturer(*, demande_id: int) -> Demande:
    """Clôture automatique (tâche planifiée) : la famille n'a pas répondu dans le délai du relais.

    No user: the system acts, so the access check is the delay rule itself.
    """
    demande = Demande.objects.select_for_update(of=("self",)).select_related("relais").get(pk=demande_id)
    exiger_transition(demande, "cloturer")
    delai = parametres_du_relais(demande.relais_id).delai_sans_reponse_jours
    if demande.statut_modifie_at > timezone.now() - timedelta(days=delai):
        raise TransitionInterdite(f"La famille a encore jusqu'à {delai} jours pour répondre.")
    ancien = _changer_statut(demande, Statut.CLOTUREE)
    raison = f"Sans réponse de la famille depuis {delai} jours."
    _historiser(demande, ancien, None, raison)
    rendez_vous = annuler_le_rendez_vous_a_venir(demande, f"Demande clôturée : {raison.lower()}")
    _notifier_la_fin(
        demande,
        "Demande clôturée",
        "Sans nouvelles de votre part, votre demande a été clôturée. Vous pouvez en déposer une nouvelle.",
        rendez_vous,
    )
    return demande


def cloturer_demandes_sans_reponse() -> int:
    """Clôture chaque demande restée sans réponse au-delà du délai de son relais. Idempotent."""
    from demandes.selectors import list_demandes_a_cloturer

    cloturees = 0
    for demande_id in list_demandes_a_cloturer():
        try:
            cloturer(demande_id=demande_id)
        except TransitionInterdite:
            continue  # the family or the relais acted in between
        cloturees += 1
    return cloturees


def parametres_du_relais(relais_id: int) -> ParametresClassement:
    """The relais' ranking weights, created with the defaults if an older relais has none yet."""
    parametres, _ = ParametresClassement.objects.get_or_create(relais_id=relais_id)
    return parametres


def rafraichir_cles_classement(aujourd_hui: date | None = None) -> int:
    """The queue's stored key (migration 0007) is kept by PostgreSQL at every write; one criterion moves with the
    date alone (« parent isolé, enfant de moins de 3 ans »): this recomputes the keys of the open requests whose
    child is 3 or older, so that their points lapse. Run nightly; idempotent."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    try:
        trois_ans = aujourd_hui.replace(year=aujourd_hui.year - 3)
    except ValueError:  # 29 February
        trois_ans = aujourd_hui.replace(year=aujourd_hui.year - 3, day=28)
    return Demande.objects.filter(statut__in=STATUTS_OUVERTS, parent_isole=True, enfant_date__lte=trois_ans).update(
        cle_classement=F("cle_classement")
    )
