"""Background jobs of insertion: the daily pass on AVIP places. Idempotent, logic in `services`."""

from celery import shared_task

from config.celery import TACHE_LOT
from insertion import services


@shared_task(**TACHE_LOT)
def suivre_places_avip() -> dict[str, int]:
    """Ends the places past their term, then reminds of the periods ending soon (once per period)."""
    return {
        "terminees": services.terminer_places_echues(),
        "rappels": services.rappeler_fins_de_periode(),
    }
