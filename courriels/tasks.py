from celery import shared_task

from config.celery import TACHE_LOT
from courriels import services


@shared_task(**TACHE_LOT)
def envoyer_en_attente() -> int:
    """Drains the outbox. Idempotent: a sent e-mail is marked sent; concurrent drains skip locked rows."""
    return services.envoyer_en_attente()
