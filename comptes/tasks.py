"""Background jobs of accounts. Ids in, idempotent, logic in `emails`."""

from celery import shared_task

from comptes import emails
from config.celery import TACHE_COURTE


@shared_task(**TACHE_COURTE)
def envoyer_bienvenue(user_id: int) -> None:
    emails.envoyer_bienvenue(user_id=user_id)
