"""Anonymisation of childcare requests (GDPR): on account deletion, and when the retention period of a
closed request is over (`rgpd.services` orchestrates, this module writes).

What is kept is what the indicators and the unmet-needs statistics count: the request row and its id,
relais, commune and postcode, status and every date (submission, status changes, appointments,
proposals), the child's birth month, the schedule, modes, urgency, family situation flags (single
parent, RSA, employment situation, first child, disability) and the income bracket. What identifies a
family or was typed as free text is blanked.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from comptes.anonymisation import MASQUE, premier_du_mois
from comptes.models import User
from courriels import services as courriels
from demandes.models import (
    STATUTS_OUVERTS,
    BrouillonDemande,
    Demande,
    HistoriqueDemande,
    NotePrivee,
    Proposition,
    RendezVous,
    Statut,
    TrancheQf,
    statuts_de_depart,
    sujet_des_emails,
)
from demandes.services import _changer_statut, _historiser, annuler_le_rendez_vous_a_venir, notifier_animatrice

PRENOM_NORMALISE_ANONYME = "anonyme"
NOTE_RETRAIT = "Retirée : la famille a supprimé son compte."


def tranche_du_quotient(quotient: int) -> str:
    """The bracket the form offers when the amount is unknown; the indicators read it the same way."""
    if quotient < 700:
        return TrancheQf.MOINS_700
    if quotient <= 1200:
        return TrancheQf.DE_700_A_1200
    return TrancheQf.PLUS_1200


@transaction.atomic
def retirer_pour_suppression_du_compte(*, demande_id: int) -> Demande:
    """An open request of a parent who deletes their account is withdrawn first: nobody can be contacted
    any more, and a closed request is what may be anonymised. A history row records it (no author: the
    account is going away); the relais is told by `prevenir_relais_du_retrait` once the data are blanked.
    An appointment to come is cancelled with it, without an e-mail: the erasure that follows deletes the request's
    e-mails and the account's before they could leave."""
    demande = Demande.objects.select_for_update(of=("self",)).get(pk=demande_id)
    if demande.statut not in statuts_de_depart("retirer"):  # the family's own withdrawal, made for it
        return demande
    ancien = _changer_statut(demande, Statut.RETIREE)
    _historiser(demande, ancien, None, NOTE_RETRAIT)
    annuler_le_rendez_vous_a_venir(demande, NOTE_RETRAIT)
    return demande


def prevenir_relais_du_retrait(*, demande_id: int) -> None:
    """E-mails the animator in charge, after anonymisation: the message names the reference, not the child."""
    demande = Demande.objects.select_related("prise_par", "relais").get(pk=demande_id)
    notifier_animatrice(
        demande,
        "retirée (compte supprimé)",
        "La famille a supprimé son compte : sa demande est retirée et ses données personnelles ont été effacées.",
    )


@transaction.atomic
def anonymiser_demande(*, demande_id: int, maintenant: datetime) -> bool:
    """Blanks the personal data of one closed request. Returns False when already anonymised.

    Blanked: the family's phone, the second guardian (names, e-mail, link to their account), the child's
    first name (a mask, so the « one open request per child » key stays valid), the CAF number, free text
    (comment, reason for ending, solution description), history notes, private notes' text, proposals'
    descriptions, appointment places, the family's messages and the reasons of cancellations. The exact birth
    date becomes the 1st of its month and the exact quotient familial its bracket (the « low income » test of the
    indicators gives the same answer).
    Deleted: the request's outbox e-mails (bodies and attachments name the family) and drafts.
    Kept: everything listed in the module docstring, and the link to the parent's account (the account
    itself is emptied when the parent deletes it).
    """
    demande = Demande.objects.select_for_update(of=("self",)).get(pk=demande_id)
    if demande.anonymise_le is not None:
        return False
    if demande.statut in STATUTS_OUVERTS:
        raise ValueError(f"La demande {demande.reference} est en cours : elle ne peut pas être anonymisée.")
    if demande.quotient_familial is not None:
        demande.tranche_qf = tranche_du_quotient(demande.quotient_familial)
        demande.quotient_familial = None
    demande.telephone = ""
    demande.second_responsable_prenom = demande.second_responsable_nom = demande.second_responsable_email = ""
    demande.second_responsable = None
    demande.enfant_prenom, demande.enfant_prenom_normalise = MASQUE, PRENOM_NORMALISE_ANONYME
    demande.enfant_date = premier_du_mois(demande.enfant_date)
    demande.numero_caf = demande.commentaire = demande.motif_fin = demande.solution_description = ""
    demande.anonymise_le = maintenant
    demande.save(
        update_fields=[
            "telephone",
            "second_responsable_prenom",
            "second_responsable_nom",
            "second_responsable_email",
            "second_responsable",
            "enfant_prenom",
            "enfant_prenom_normalise",
            "enfant_date",
            "numero_caf",
            "quotient_familial",
            "tranche_qf",
            "commentaire",
            "motif_fin",
            "solution_description",
            "anonymise_le",
        ]
    )
    HistoriqueDemande.objects.filter(demande=demande).exclude(note__in=["", NOTE_RETRAIT]).update(note="")
    NotePrivee.objects.filter(demande=demande).update(texte="")
    Proposition.objects.filter(demande=demande).update(description="")
    # An appointment on site must name a place (database constraint): the mask stands for it.
    RendezVous.objects.filter(demande=demande).exclude(lieu="").update(lieu=MASQUE)
    # The family's message and a cancellation's reason are free text; a cancellation keeps one (constraint).
    RendezVous.objects.filter(demande=demande).update(message_famille="")
    RendezVous.objects.filter(demande=demande).exclude(motif_annulation="").update(motif_annulation=MASQUE)
    courriels.effacer_pour_sujet(sujet_des_emails(demande.pk))
    BrouillonDemande.objects.filter(demande=demande).delete()
    return True


@transaction.atomic
def effacer_traces_du_compte(*, user: User) -> None:
    """What a deleted account leaves in this app outside its own requests: its draft, and its place as second
    guardian on another parent's request (unlinked, name and e-mail blanked, pending invitations to its
    address too). Call before the account's e-mail is replaced."""
    BrouillonDemande.objects.filter(parent=user).delete()
    Demande.objects.filter(Q(second_responsable=user) | Q(second_responsable_email__iexact=user.email)).update(
        second_responsable=None, second_responsable_prenom="", second_responsable_nom="", second_responsable_email=""
    )
