from celery import shared_task

from config.celery import TACHE_LOT
from demandes import services


@shared_task(**TACHE_LOT)
def envoyer_emails_en_attente() -> int:
    """Drains the e-mail outbox. Idempotent: a sent e-mail is marked sent; concurrent drains skip locked rows."""
    return services.envoyer_emails_en_attente()


@shared_task(**TACHE_LOT)
def cloturer_demandes_sans_reponse() -> int:
    """Closes requests left without an answer from the family beyond their relais' delay. Idempotent."""
    return services.cloturer_demandes_sans_reponse()


@shared_task(**TACHE_LOT)
def rafraichir_cles_classement() -> int:
    """Lets the date-bound ranking points lapse in the queue's stored key (see the service). Idempotent."""
    return services.rafraichir_cles_classement()
