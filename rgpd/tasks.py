"""Nightly retention job. Idempotent: an anonymised record is marked and never processed again."""

import logging

from celery import shared_task

from config.celery import TACHE_LONGUE
from rgpd import services

logger = logging.getLogger(__name__)


@shared_task(**TACHE_LONGUE)
def appliquer_retention() -> dict[str, int]:
    """Anonymise les données dont la durée de conservation est écoulée (`RGPD_CONSERVATION`)."""
    rapport = services.appliquer_retention(dry_run=False)
    comptes = {
        "demandes": len(rapport.demandes),
        "assistants_maternels": len(rapport.assistants_maternels),
        "conventions": len(rapport.conventions),
    }
    logger.info("Conservation des données : anonymisés %s", comptes)
    return comptes
