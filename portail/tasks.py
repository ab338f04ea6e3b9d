import socket

from celery import shared_task

from config.celery import TACHE_COURTE
from portail import services


@shared_task(**TACHE_COURTE)
def battement(origine: str = "") -> None:
    """Records that a worker is alive. Idempotent: one row per worker, timestamp refreshed."""
    services.enregistrer_battement(worker=origine or socket.gethostname())
