"""Celery as its comments say: each task runs under the limits of its declared kind, the broker does not hand a
running task to a second worker, and each kind of process has its own PostgreSQL statement timeout.

The real-worker tests run a prefork worker (the solo pool enforces no time limit) on the real Redis broker,
writing to the test database; the test-only tasks are in tests/celery_taches.py.
"""

import os
import subprocess
import sys
import time
import uuid

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from config.celery import TACHE_LONGUE, app, verifier_les_taches
from demandes.models import Demande
from rgpd.tasks import appliquer_retention
from tests.demandes.factories import DemandeFactory
from tests.portail.test_worker import _database_url_of_the_test_database


def _environnement(**env: str) -> dict[str, str]:
    base = {nom: valeur for nom, valeur in os.environ.items() if nom not in {"DATABASE_STATEMENT_TIMEOUT_MS"}}
    return base | {"DATABASE_URL": _database_url_of_the_test_database()} | env


@pytest.fixture
def demarrer_worker():
    """Starts a real worker on a queue of its own (no other worker takes its tasks); stops it after the test."""
    processus = []

    def demarrer(**env: str) -> str:
        queue = f"test-{uuid.uuid4().hex}"
        commande = [sys.executable, "-m", "celery", "-A", "config", "worker", "-I", "tests.celery_taches"]
        commande += ["--pool", "prefork", "--concurrency", "2", "-Q", queue, "-l", "warning"]
        processus.append(subprocess.Popen(commande, cwd=settings.BASE_DIR, env=_environnement(**env)))
        return queue

    yield demarrer
    for worker in processus:
        worker.terminate()
    for worker in processus:
        worker.wait(timeout=60)


def _attendre(condition, message: str, secondes: int = 180) -> None:
    # Generous: a cold worker start takes long on a loaded 2-core machine.
    deadline = time.monotonic() + secondes
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def _session_bloquee_sur_un_verrou() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL answers from the statistics snapshot taken by its first read.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone() is not None


def _messages(erreurs) -> list[tuple[str, str]]:
    return [(erreur.id, erreur.msg) for erreur in erreurs]


# What the worker applies: the limits of each task's kind.


def _rien() -> None:
    """The body of the tasks registered by a test (Celery cannot take a lambda)."""


def test_chaque_tache_du_projet_a_les_limites_de_son_genre_et_le_broker_les_couvre():
    assert verifier_les_taches() == []


def test_une_tache_qui_ne_fixe_que_sa_limite_dure_est_refusee(request):
    # The retention task before the fix: its 3600 s were cut at 300 s by the global soft limit.
    tache = app.task(name="rgpd.tasks.essai_limite_dure_seule", time_limit=3600)(_rien)
    request.addfinalizer(lambda: app.tasks.unregister(tache.name))

    assert _messages(verifier_les_taches()) == [
        ("guichet.E101", "The task rgpd.tasks.essai_limite_dure_seule declares no kind.")
    ]


def test_une_tache_qui_change_les_limites_de_son_genre_est_refusee(request):
    options = TACHE_LONGUE | {"soft_time_limit": 300}
    tache = app.task(name="rgpd.tasks.essai_genre_modifie", **options)(_rien)
    request.addfinalizer(lambda: app.tasks.unregister(tache.name))

    assert _messages(verifier_les_taches()) == [
        (
            "guichet.E102",
            "The task rgpd.tasks.essai_genre_modifie sets limits of its own (300 s / 3600 s), "
            "not those of its kind longue.",
        )
    ]


def test_un_visibility_timeout_plus_court_que_la_plus_longue_tache_est_refuse(settings):
    # Enough for the batch kind (600 s of retry wait + 600 s of run), not for the retention task's hour.
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = settings.CELERY_BROKER_TRANSPORT_OPTIONS | {"visibility_timeout": 1200}

    assert _messages(verifier_les_taches()) == [
        (
            "guichet.E103",
            "The task rgpd.tasks.appliquer_retention may stay unacknowledged 4200 s, beyond the broker's "
            "visibility timeout (1200 s): Redis would hand it to a second worker while it runs.",
        )
    ]


# A real worker honours them.


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_la_retention_va_au_bout_meme_au_dela_des_limites_globales_du_worker(demarrer_worker):
    """The worker's global limits shrunk to 1 s / 2 s stand for the former 300 s / 360 s: the retention task,
    held 3 s on a row lock, must still finish under its own kind's limits."""
    demande = DemandeFactory(
        sans_solution=True, statut_modifie_at=timezone.now() - relativedelta(years=4), enfant_prenom="Léonie"
    )
    queue = demarrer_worker(CELERY_TASK_SOFT_TIME_LIMIT="1", CELERY_TASK_TIME_LIMIT="2")

    with transaction.atomic():
        Demande.objects.select_for_update().get(pk=demande.pk)
        appliquer_retention.apply_async(queue=queue)
        _attendre(_session_bloquee_sur_un_verrou, "le worker n'a pas commencé l'anonymisation en 180 s")
        time.sleep(3)

    _attendre(
        lambda: Demande.objects.filter(pk=demande.pk, anonymise_le__isnull=False).exists(),
        "la tâche de conservation n'est pas allée au bout",
        secondes=60,
    )
    assert Demande.objects.get(pk=demande.pk).enfant_prenom == "[anonymisé]"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_une_tache_breve_est_coupee_a_sa_limite_et_sa_voisine_plus_longue_va_au_bout(demarrer_worker):
    queue = demarrer_worker()
    breve, longue = f"breve-{uuid.uuid4().hex}", f"longue-{uuid.uuid4().hex}"

    app.send_task("tests.celery_taches.dormir_breve", args=[breve, 5], queue=queue)
    app.send_task("tests.celery_taches.dormir_longue", args=[longue, 3], queue=queue)

    _attendre(lambda: cache.get(breve) and cache.get(longue), "les deux tâches n'ont pas rendu compte en 180 s")
    assert cache.get(breve).startswith("coupée après 1.")
    assert cache.get(longue) == "finie"


# Statement timeouts: short for the web, an hour for workers and commands.


def _show_statement_timeout(*commande: str) -> str:
    resultat = subprocess.run(  # noqa: S603 - fixed command, our own interpreter
        [sys.executable, *commande],
        cwd=settings.BASE_DIR,
        env=_environnement(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return resultat.stdout.strip().splitlines()[-1]


SHOW = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW statement_timeout')\n"
    "    print(cursor.fetchone()[0])\n"
)


@pytest.mark.django_db
def test_le_processus_web_coupe_une_requete_sql_apres_10_secondes():
    assert _show_statement_timeout("-c", "import config.wsgi\n" + SHOW) == "10s"


@pytest.mark.django_db
def test_une_commande_laisse_une_heure_a_une_requete_sql():
    assert _show_statement_timeout("manage.py", "shell", "-c", SHOW) == "1h"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_un_worker_laisse_une_heure_a_une_requete_sql(demarrer_worker):
    queue = demarrer_worker()
    cle = f"timeout-{uuid.uuid4().hex}"

    app.send_task("tests.celery_taches.montrer_statement_timeout", args=[cle], queue=queue)

    _attendre(lambda: cache.get(cle), "le worker n'a pas rendu compte en 180 s")
    assert cache.get(cle) == "1h"
