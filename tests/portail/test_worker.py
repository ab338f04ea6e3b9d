"""A real Celery worker process on the real Redis broker, writing to the test database."""

import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from portail.models import BattementWorker
from portail.tasks import battement

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _database_url_of_the_test_database() -> str:
    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="")
    auth = db["USER"] + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


@pytest.fixture
def worker():
    # A queue of its own, so that no other worker on the same broker takes the task.
    queue = f"test-{uuid.uuid4().hex}"
    env = os.environ | {"DATABASE_URL": _database_url_of_the_test_database()}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue, "-l", "warning"],
        cwd=settings.BASE_DIR,
        env=env,
    )
    yield queue
    process.terminate()
    process.wait(timeout=30)


def test_un_vrai_worker_execute_la_tache_et_son_effet_est_en_base(worker):
    battement.apply_async(kwargs={"origine": "worker-de-test"}, queue=worker)

    # Generous: a cold worker start takes seconds on a loaded 2-core machine.
    deadline = time.monotonic() + 120
    while not BattementWorker.objects.filter(worker="worker-de-test").exists():
        assert time.monotonic() < deadline, "le worker n'a pas exécuté la tâche en 120 s"
        time.sleep(0.2)
