"""Anonymisation in continuing training (GDPR): a parent's alternative childcare requests, and what a
childminder's file leaves here (`rgpd.services` orchestrates, this module writes).

Kept, because mission 3 counts them: wishes (theme, commune, dates), enrolments and their history
(statuses, departure dates, « grâce au relais »), alternative childcare requests with their relais,
dates, channel and status, and the proposals with their dates and answers.
"""

from datetime import datetime

from django.db import transaction

from comptes.anonymisation import MASQUE
from formation.models import (
    DemandeAccueilAlternatif,
    EnfantConcerne,
    MiseEnRelation,
    PropositionAccueilAlternatif,
    SouhaitFormation,
)


@transaction.atomic
def anonymiser_demande_accueil_alternatif(*, demande_id: int, maintenant: datetime) -> bool:
    """Blanks a parent's alternative childcare request. Returns False when already anonymised.

    Blanked: the child's first name and the parent's name (masks), phone, e-mail, comment; the proposals'
    free text (a mask where the database requires one: an « other » solution must be described).
    Kept: the link to the parent's account (an online request must have one; the account is emptied
    when the parent deletes it), the dates, channel, status, and the proposals' kinds, dates and answers.
    """
    demande = DemandeAccueilAlternatif.objects.select_for_update().get(pk=demande_id)
    if demande.anonymise_le is not None:
        return False
    demande.prenom_enfant = demande.nom_parent = MASQUE
    demande.telephone_parent = demande.email_parent = demande.commentaire = ""
    demande.anonymise_le = maintenant
    demande.save(
        update_fields=[
            "prenom_enfant",
            "nom_parent",
            "telephone_parent",
            "email_parent",
            "commentaire",
            "anonymise_le",
        ]
    )
    propositions = PropositionAccueilAlternatif.objects.filter(demande=demande).exclude(description="")
    propositions.filter(type=PropositionAccueilAlternatif.Type.AUTRE).update(description=MASQUE)
    propositions.exclude(type=PropositionAccueilAlternatif.Type.AUTRE).update(description="")
    return True


@transaction.atomic
def anonymiser_formation_de_l_assistant_maternel(*, assistant_maternel_id: int) -> None:
    """What a childminder's file leaves in training: the free text of her wishes, the relais' comment on every
    sending of her wishes to a training body, and the parents' e-mail addresses she gave for the children
    affected by her trainings.

    The comment is the relais' free text about a group of wishes, so it may name her: it is blanked for the
    whole group (free text cannot be cut per person). The sending itself (relais, body, date, wishes) stays,
    since « grâce au relais » (mission 3) counts it.
    """
    SouhaitFormation.objects.filter(assistant_maternel_id=assistant_maternel_id).update(precisions="")
    MiseEnRelation.objects.filter(souhaits__assistant_maternel_id=assistant_maternel_id).exclude(
        commentaire=""
    ).update(commentaire="")
    EnfantConcerne.objects.filter(inscription__assistant_maternel_id=assistant_maternel_id).update(email_parent="")


@transaction.atomic
def effacer_traces_du_compte(*, email: str) -> None:
    """Parents' e-mail addresses given by childminders (children affected by a training) that are the
    deleted account's address. Call before the account's e-mail is replaced."""
    EnfantConcerne.objects.filter(email_parent__iexact=email).update(email_parent="")
