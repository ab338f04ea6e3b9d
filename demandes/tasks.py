from celery import shared_task
from django.db import OperationalError

from demandes import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, time_limit=300)
def envoyer_emails_en_attente() -> int:
    """Drains the e-mail outbox. Idempotent: a sent e-mail is marked sent; concurrent drains skip locked rows."""
    return services.envoyer_emails_en_attente()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, time_limit=600)
def cloturer_demandes_sans_reponse() -> int:
    """Closes requests left without an answer from the family beyond their relais' delay. Idempotent."""
    return services.cloturer_demandes_sans_reponse()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, time_limit=300)
def rafraichir_cles_classement() -> int:
    """Lets the date-bound ranking points lapse in the queue's stored key (see the service). Idempotent."""
    return services.rafraichir_cles_classement()
