"""Anonymisation of a request's AVIP places and PEPIT parcours (GDPR; `rgpd.services` orchestrates, this module
writes), called once the request itself is anonymised.

Kept, for the territory's figures (insertion places used, parcours and their outcomes): the crèche, dates,
renewals, statuses, publics, contact dates and kinds, outcomes. Blanked: the free text, which may name or
describe the family (the reason of an early end, the team's notes and review).
"""

from datetime import datetime

from django.db import transaction

from comptes.anonymisation import MASQUE
from insertion.models import AttributionAvip, ContactParcours, HistoriqueAvip, ParcoursAttentionne


@transaction.atomic
def anonymiser_insertion_de_la_demande(*, demande_id: int, maintenant: datetime) -> bool:
    """Returns False when there was nothing left to anonymise."""
    attributions = AttributionAvip.objects.select_for_update().filter(demande_id=demande_id, anonymise_le__isnull=True)
    parcours = ParcoursAttentionne.objects.select_for_update().filter(demande_id=demande_id, anonymise_le__isnull=True)
    attribution_ids = list(attributions.values_list("pk", flat=True))
    parcours_ids = list(parcours.values_list("pk", flat=True))
    if not attribution_ids and not parcours_ids:
        return False
    # An early end must say why (database constraint): the reason becomes a mask, not a blank.
    AttributionAvip.objects.filter(pk__in=attribution_ids).exclude(motif_fin="").update(motif_fin=MASQUE)
    AttributionAvip.objects.filter(pk__in=attribution_ids).update(anonymise_le=maintenant)
    HistoriqueAvip.objects.filter(attribution_id__in=attribution_ids).update(note="")
    ContactParcours.objects.filter(parcours_id__in=parcours_ids).update(note="")
    ParcoursAttentionne.objects.filter(pk__in=parcours_ids).update(note_cloture="", anonymise_le=maintenant)
    return True
