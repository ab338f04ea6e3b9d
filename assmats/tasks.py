"""Background jobs of the offer: e-mails and reminders. Ids in, idempotent, logic in `emails`."""

from celery import shared_task

from assmats import emails
from config.celery import TACHE_COURTE, TACHE_LOT


@shared_task(**TACHE_COURTE)
def notifier_relais_sous_activite(signalement_id: int) -> None:
    emails.notifier_relais_sous_activite(signalement_id=signalement_id)


@shared_task(**TACHE_COURTE)
def transmettre_message_au_relais(assmat_id: int, nom: str, email: str, telephone: str, message: str) -> None:
    emails.transmettre_message_au_relais(
        assmat_id=assmat_id, nom=nom, email=email, telephone=telephone, message=message
    )


@shared_task(**TACHE_COURTE)
def envoyer_proposition_entretien(entretien_id: int) -> None:
    emails.envoyer_proposition_entretien(entretien_id=entretien_id)


@shared_task(**TACHE_COURTE)
def envoyer_relance_affichage(relance_id: int) -> None:
    emails.envoyer_relance_affichage(relance_id=relance_id)


@shared_task(**TACHE_LOT)
def rappeler_disponibilites_perimees() -> int:
    return emails.rappeler_disponibilites_perimees()


@shared_task(**TACHE_LOT)
def rappeler_agrements_expires() -> int:
    return emails.rappeler_agrements_expires()


@shared_task(**TACHE_LOT)
def rappeler_echeance_legale() -> int:
    return emails.rappeler_echeance_legale()
