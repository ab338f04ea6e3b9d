from celery import shared_task
from django.utils import timezone

from config.celery import TACHE_COURTE, TACHE_LOT
from tiers_payant import emails, services


@shared_task(**TACHE_LOT)
def mettre_a_jour_statuts_des_conventions() -> tuple[int, int]:
    """Daily: activates signed conventions whose start date has come, ends those past their term. Idempotent."""
    return services.mettre_a_jour_statuts(au=timezone.localdate())


@shared_task(**TACHE_COURTE)
def inviter_a_signer(document_id: int) -> int:
    return emails.inviter_a_signer(document_id=document_id)


@shared_task(**TACHE_COURTE)
def notifier_contestation(releve_id: int) -> None:
    emails.notifier_contestation(releve_id=releve_id)
