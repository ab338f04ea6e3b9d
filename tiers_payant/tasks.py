from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from tiers_payant import services


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
)
def mettre_a_jour_statuts_des_conventions() -> tuple[int, int]:
    """Daily: activates signed conventions whose start date has come, ends those past their term. Idempotent."""
    return services.mettre_a_jour_statuts(au=timezone.localdate())
