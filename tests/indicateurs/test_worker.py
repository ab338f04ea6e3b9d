"""A real Celery worker on the real Redis broker, killed in the middle of a computation.

Worker 1 runs with a test-only pause (`INDICATEURS_PAUSE_TEST_SECONDES`) between deleting the old
snapshots and writing the new ones, inside the transaction; we SIGKILL it there. Its task was not
acknowledged (`acks_late`), so it stays in Redis' unacked set; Redis hands it out again only after the
visibility timeout, so worker 2 starts with `CELERY_VISIBILITY_TIMEOUT=5` and restores it itself: no
re-publication by the test.
"""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from indicateurs import services
from indicateurs.models import Snapshot
from indicateurs.tasks import calculer_indicateurs
from tests.demandes.factories import DemandeFactory
from tests.factories import RelaisFactory
from tests.indicateurs.scenario import OUVERT_AVANT, N, action, dt
from tests.portail.test_worker import _database_url_of_the_test_database

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _worker(queue: str, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue, "-l", "warning"],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DATABASE_URL": _database_url_of_the_test_database()} | env,
    )


def _snapshots(relais):
    return list(
        Snapshot.objects.filter(relais=relais, annee=N)
        .order_by("code")
        .values_list("code", "empreinte", "computed_at")
    )


def _suppression_en_cours() -> bool:
    """Another session holds a row lock on the snapshot table: the worker deleted and is pausing."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'indicateurs_snapshot' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()"
        )
        return cursor.fetchone() is not None


def _attendre(condition, message: str, secondes: int = 300) -> None:
    # Generous: cold worker starts take long on a loaded 2-core machine; a pass takes ~20 s.
    deadline = time.monotonic() + secondes
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def test_un_worker_tue_en_plein_calcul_laisse_les_chiffres_precedents_et_la_reprise_donne_la_meme_empreinte():
    relais = RelaisFactory(date_ouverture_guichet=OUVERT_AVANT)
    action(DemandeFactory(relais=relais, date_depot=dt(2024, 1, 1)), "rdv_propose", dt(2024, 1, 2))
    action(DemandeFactory(relais=relais, date_depot=dt(2025, 1, 1)), "rdv_propose", dt(2025, 1, 2))
    empreinte = services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    avant = _snapshots(relais)
    queue = f"test-{uuid.uuid4().hex}"

    premier = _worker(queue, INDICATEURS_PAUSE_TEST_SECONDES="120")
    try:
        calculer_indicateurs.apply_async(args=[relais.pk, N], queue=queue)
        _attendre(_suppression_en_cours, "le worker n'a pas commencé le calcul en 300 s")
        premier.kill()  # SIGKILL: no chance to acknowledge, roll back or clean up
        premier.wait(timeout=30)
    finally:
        if premier.poll() is None:
            premier.kill()

    assert _snapshots(relais) == avant

    second = _worker(queue, CELERY_VISIBILITY_TIMEOUT="5")
    try:
        _attendre(lambda: _snapshots(relais) != avant, "la tâche n'a pas été reprise en 300 s")
    finally:
        second.terminate()
        second.wait(timeout=30)

    apres = _snapshots(relais)
    assert [(code, emp) for code, emp, _ in apres] == [(code, emp) for code, emp, _ in avant]
    assert all(nouveau > ancien for (_, _, nouveau), (_, _, ancien) in zip(apres, avant, strict=True))
    assert services.enregistrer_indicateurs(relais_id=relais.pk, annee=N) == empreinte
