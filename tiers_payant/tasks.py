from celery import shared_task
from django.utils import timezone

from config.celery import TACHE_LOT
from tiers_payant import services


@shared_task(**TACHE_LOT)
def mettre_a_jour_statuts_des_conventions() -> tuple[int, int]:
    """Daily: activates signed conventions whose start date has come, ends those past their term. Idempotent."""
    return services.mettre_a_jour_statuts(au=timezone.localdate())
