from celery import shared_task

from config.celery import TACHE_LOT
from demandes import services


@shared_task(**TACHE_LOT)
def cloturer_demandes_sans_reponse() -> int:
    """Closes requests left without an answer from the family beyond their relais' delay. Idempotent."""
    return services.cloturer_demandes_sans_reponse()


@shared_task(**TACHE_LOT)
def rafraichir_cles_classement() -> int:
    """Lets the date-bound ranking points lapse in the queue's stored key (see the service). Idempotent."""
    return services.rafraichir_cles_classement()
