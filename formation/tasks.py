"""Background e-mails of continuing training. Ids in, idempotent (each e-mail records that it was sent),
logic in `emails`."""

from celery import shared_task

from config.celery import TACHE_COURTE
from formation import emails


@shared_task(**TACHE_COURTE)
def inviter_parent(enfant_concerne_id: int) -> None:
    emails.inviter_parent(enfant_concerne_id=enfant_concerne_id)


@shared_task(**TACHE_COURTE)
def notifier_relais_demande(demande_id: int) -> None:
    emails.notifier_relais_demande(demande_id=demande_id)


@shared_task(**TACHE_COURTE)
def notifier_parent_proposition(proposition_id: int) -> None:
    emails.notifier_parent_proposition(proposition_id=proposition_id)
