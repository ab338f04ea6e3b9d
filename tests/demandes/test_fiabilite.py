"""Reliability with real processes: a Celery worker drains the e-mail outbox, a rolled-back transaction never
publishes its task, and the portal under gunicorn answers after PostgreSQL has dropped its connections."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from courriels.models import Email
from courriels.tasks import envoyer_en_attente
from demandes import services
from demandes.models import Demande, sujet_des_emails
from portail.models import BattementWorker
from portail.tasks import battement
from relais.models import Relais
from tests.demandes.conftest import donnees_valides
from tests.factories import UserFactory
from tests.portail.test_worker import _database_url_of_the_test_database

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

# A worker starts in seconds, but in tens of seconds when the 2 cores are busy with other work.
DELAI = 120


def _attendre(condition, message) -> None:
    limite = time.monotonic() + DELAI
    while not condition():
        assert time.monotonic() < limite, message() if callable(message) else message
        time.sleep(0.2)


@dataclass(frozen=True)
class Worker:
    queue: str
    journal: Path

    def echec(self, quoi: str):
        """The failure message, with the end of the worker's log to tell a slow start from a lost task."""
        return lambda: (
            f"{quoi} ; journal du worker :\n"
            + (self.journal.read_text()[-3000:] if self.journal.exists() else "(vide)")
        )


@pytest.fixture
def worker(tmp_path):
    """A real worker on a queue of its own; its e-mails go nowhere (dummy backend), their rows say if sent."""
    queue = f"test-{uuid.uuid4().hex}"
    journal = tmp_path / "worker.log"
    env = os.environ | {
        "DATABASE_URL": _database_url_of_the_test_database(),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue]
        + ["-l", "info", "--logfile", str(journal)],
        cwd=settings.BASE_DIR,
        env=env,
    )
    yield Worker(queue, journal)
    process.terminate()
    process.wait(timeout=30)


def test_un_vrai_worker_envoie_les_e_mails_de_la_file_et_les_marque_envoyes(worker, parent, relais):
    demande = services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege))
    email = Email.objects.get(sujet_de=sujet_des_emails(demande.pk))
    assert email.envoye_at is None

    envoyer_en_attente.apply_async(queue=worker.queue)

    _attendre(lambda: Email.objects.get(pk=email.pk).envoye_at is not None, worker.echec("e-mail non envoyé à temps"))
    email.refresh_from_db()
    assert (email.tentatives, email.derniere_erreur) == (1, "")


def test_une_tache_demandee_dans_une_transaction_annulee_ne_part_jamais(worker, parent, relais, monkeypatch):
    publiees = []
    publier = envoyer_en_attente.apply_async

    def publier_sur_la_file_du_worker(*args, **kwargs):
        publiees.append(kwargs)
        return publier(*args, **{**kwargs, "queue": worker.queue})

    monkeypatch.setattr(envoyer_en_attente, "apply_async", publier_sur_la_file_du_worker)

    def deposer_puis_echouer():
        with transaction.atomic():
            services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege))
            transaction.on_commit(lambda: battement.apply_async(kwargs={"origine": "annulee"}, queue=worker.queue))
            raise RuntimeError("échec après le dépôt")

    with pytest.raises(RuntimeError):
        deposer_puis_echouer()

    assert publiees == []
    assert not Demande.objects.exists()
    assert not Email.objects.exists()

    # A committed submission does publish, and the worker handles it; the sentinel, queued after the cancelled
    # task would have been, proves the worker has consumed everything before it (solo pool, one queue, FIFO).
    demande = services.deposer(parent=UserFactory(), donnees=donnees_valides(relais.commune_siege))
    battement.apply_async(kwargs={"origine": "sentinelle"}, queue=worker.queue)
    assert len(publiees) == 1
    sentinelle = BattementWorker.objects.filter(worker="sentinelle")
    _attendre(sentinelle.exists, worker.echec("sentinelle non reçue à temps"))
    en_attente = Email.objects.filter(envoye_at__isnull=True)
    _attendre(lambda: not en_attente.exists(), worker.echec("e-mail non envoyé à temps"))
    assert not BattementWorker.objects.filter(worker="annulee").exists()
    assert list(Email.objects.values_list("sujet_de", flat=True)) == [sujet_des_emails(demande.pk)]


# --- PostgreSQL drops its connections ---------------------------------------------------------------------------


def _port_libre() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    try:
        with opener.open(url, timeout=10) as reponse:
            return reponse.status
    except urllib.error.HTTPError as erreur:
        return erreur.code


def _get_ou_rien(url: str) -> int | None:
    try:
        return _get(url)
    except (urllib.error.URLError, OSError):
        return None


@pytest.fixture
def portail_sous_gunicorn():
    """The portal under gunicorn, one sync worker: like production, it keeps its database connection between
    requests (CONN_MAX_AGE), which the test client and live_server never do."""
    port = _port_libre()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {"DATABASE_URL": _database_url_of_the_test_database()}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--log-level", "warning"],
        cwd=settings.BASE_DIR,
        env=env,
    )
    try:
        _attendre(lambda: _get_ou_rien(base + "/relais/") == 200 or process.poll() is not None, "gunicorn muet")
        assert process.poll() is None, "gunicorn s'est arrêté"
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _terminer_les_autres_connexions() -> int:
    """From a connection of its own, as an administrator would (or a PostgreSQL restart, or a failover)."""
    base = connection.settings_dict
    with psycopg.connect(
        dbname=base["NAME"],
        user=base["USER"],
        password=base["PASSWORD"] or None,
        host=base["HOST"] or None,
        port=base["PORT"] or None,
        autocommit=True,
    ) as admin:
        lignes = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return sum(1 for (termine,) in lignes if termine)


def test_le_portail_repond_apres_que_postgresql_a_coupe_ses_connexions(portail_sous_gunicorn, relais):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    pages = [f"{portail_sous_gunicorn}/relais/", f"{portail_sous_gunicorn}/demandes/criteres/"]
    assert [_get(page) for page in pages] == [200, 200]

    # Every other backend of the test database: gunicorn's persistent connection, and this test's own.
    assert _terminer_les_autres_connexions() >= 2

    assert [_get(page) for page in pages] == [200, 200]
    # The same check in this process: the health check at the start of a request finds the dead connection.
    close_old_connections()
    assert Relais.objects.filter(pk=relais.pk).exists()
