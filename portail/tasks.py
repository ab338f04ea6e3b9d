import socket

from celery import shared_task
from django.db import OperationalError

from portail import services


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=20,
    time_limit=30,
)
def battement(origine: str = "") -> None:
    """Records that a worker is alive. Idempotent: one row per worker, timestamp refreshed."""
    services.enregistrer_battement(worker=origine or socket.gethostname())
