"""GDPR erasure of a referral, called by `rgpd.services` with its request's: the family's name as the adviser
typed it is blanked; who referred it, when, why and the date of the consent stay (no one is named by them)."""

from datetime import datetime

from django.db import transaction

from orientations.models import Orientation


@transaction.atomic
def anonymiser_orientation_de_la_demande(*, demande_id: int, maintenant: datetime) -> bool:
    orientation = Orientation.objects.select_for_update().filter(demande_id=demande_id).first()
    if orientation is None or orientation.anonymise_le is not None:
        return False
    orientation.famille_prenom = orientation.famille_nom = ""
    orientation.anonymise_le = maintenant
    orientation.save(update_fields=["famille_prenom", "famille_nom", "anonymise_le"])
    return True
