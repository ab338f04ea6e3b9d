"""Test-only tasks, loaded by the real worker of tests/test_celery.py (`celery worker -I tests.celery_taches`).

Their kinds are declared with `config.celery.genre`, the constructor of the project's own kinds, with limits of a
few seconds. Each task leaves what happened in the cache (the same Redis and key prefix as the test process).
"""

import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.db import connection

from config.celery import genre

ESSAI_BREVE = genre("essai-breve", soft_time_limit=1, time_limit=4)
ESSAI_LONGUE = genre("essai-longue", soft_time_limit=8, time_limit=10)


def _dormir(cle: str, secondes: float) -> None:
    debut = time.monotonic()
    try:
        time.sleep(secondes)
    except SoftTimeLimitExceeded:
        cache.set(cle, f"coupée après {time.monotonic() - debut:.1f} s", 60)
        raise
    cache.set(cle, "finie", 60)


@shared_task(**ESSAI_BREVE)
def dormir_breve(cle: str, secondes: float) -> None:
    _dormir(cle, secondes)


@shared_task(**ESSAI_LONGUE)
def dormir_longue(cle: str, secondes: float) -> None:
    _dormir(cle, secondes)


@shared_task(**ESSAI_BREVE)
def montrer_statement_timeout(cle: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        cache.set(cle, cursor.fetchone()[0], 60)
