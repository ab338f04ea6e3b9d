"""Anonymisation of tiers payant conventions (GDPR). A signed convention is evidence of what the CAF paid:
it keeps its personal data for `RGPD_CONSERVATION["convention_terminee_ans"]` years after it ends (the
limitation period of civil actions), then the retention job blanks them (`rgpd.services` orchestrates,
this module writes). A convention that was never signed has no such value.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from comptes.anonymisation import MASQUE, premier_du_mois
from tiers_payant.models import (
    STATUTS_FINAUX,
    Convention,
    DocumentConvention,
    HistoriqueConvention,
    ReleveMensuel,
    Statut,
)
from tiers_payant.services import _finir

NON_SIGNEES = (Statut.BROUILLON, Statut.ENVOYEE)
MOTIF_SUPPRESSION = "Compte supprimé avant la signature de toutes les parties."


@transaction.atomic
def resilier_pour_suppression_du_compte(*, convention_id: int, le: date) -> bool:
    """A convention not signed by every party cannot be signed any more once a party deletes their
    account: it is cancelled (history row, no author). Returns True when it was cancelled; signed,
    active and ended conventions are left as they are."""
    convention = Convention.objects.select_for_update().get(pk=convention_id)
    if convention.statut not in NON_SIGNEES:
        return False
    _finir(convention, Statut.RESILIEE, None, le, MOTIF_SUPPRESSION)
    return True


@transaction.atomic
def anonymiser_convention(*, convention_id: int, maintenant: datetime) -> bool:
    """Blanks the personal data of an ended or cancelled convention. Returns False when already anonymised.

    Blanked: the child's first name (a mask), the copied agrément number, the household's monthly
    resources and the engine's detailed computation (it holds them), free text (reason for ending —
    a mask when the database requires one —, history notes, a parent's reason for disputing a statement).
    The child's birth date becomes its month.
    Deleted: the PDF documents (they print every name and address); the signatures keep the SHA-256
    of what was signed.
    Kept: the row, relais, family's commune, parties' accounts (emptied when deleted), dates, duration,
    statuses and history, hours, wage, allowances, estimated CMG, the RSA / AAH / AEEH / single-parent
    flags, signatures with their dates, monthly statements (what the CAF paid).
    """
    convention = Convention.objects.select_for_update().get(pk=convention_id)
    if convention.anonymise_le is not None:
        return False
    if convention.statut not in STATUTS_FINAUX:
        raise ValueError(f"La convention {convention.reference} est en cours : elle ne peut pas être anonymisée.")
    convention.enfant_prenom = MASQUE
    convention.enfant_naissance = premier_du_mois(convention.enfant_naissance)
    convention.numero_agrement = ""
    convention.ressources_mensuelles = Decimal(0)
    convention.calcul_cmg = {}
    # A cancellation must keep a reason (database constraint).
    convention.motif_fin = MASQUE if convention.statut == Statut.RESILIEE else ""
    convention.anonymise_le = maintenant
    convention.save(
        update_fields=[
            "enfant_prenom",
            "enfant_naissance",
            "numero_agrement",
            "ressources_mensuelles",
            "calcul_cmg",
            "motif_fin",
            "anonymise_le",
        ]
    )
    HistoriqueConvention.objects.filter(convention=convention).exclude(note="").update(note="")
    # A disputed statement must keep a reason (database constraint).
    ReleveMensuel.objects.filter(convention=convention).exclude(motif_contestation="").update(
        motif_contestation=MASQUE
    )
    DocumentConvention.objects.filter(convention=convention).delete()
    return True
