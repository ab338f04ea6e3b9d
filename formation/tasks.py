"""Background e-mails of continuing training. Ids in, idempotent (each e-mail records that it was sent),
logic in `emails`."""

from celery import shared_task
from django.db import OperationalError

from formation import emails

RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
    # Below the global soft limit (300 s), which Celery refuses above a task's hard limit.
    "soft_time_limit": 50,
    "time_limit": 60,
}


@shared_task(**RETRY)
def inviter_parent(enfant_concerne_id: int) -> None:
    emails.inviter_parent(enfant_concerne_id=enfant_concerne_id)


@shared_task(**RETRY)
def notifier_relais_demande(demande_id: int) -> None:
    emails.notifier_relais_demande(demande_id=demande_id)


@shared_task(**RETRY)
def notifier_parent_proposition(proposition_id: int) -> None:
    emails.notifier_parent_proposition(proposition_id=proposition_id)
