"""The Celery app and the one set of options every task of ours declares.

Each task is of one kind (`TACHE_COURTE`, `TACHE_LOT`, `TACHE_LONGUE`): `@shared_task(**TACHE_LOT)`. A kind sets
both time limits, soft (`SoftTimeLimitExceeded` raised inside the task) and hard (the process running it is
killed): a task that set only `time_limit` would inherit the global soft limit and be cut by it. The system
check below refuses a task of ours without a kind, with limits of its own, or with a hard limit that Redis'
visibility timeout does not cover (Redis would hand a task still running to a second worker).

Settings stay in `config/settings.py` (`CELERY_*`); acknowledging late and requeueing a task whose worker died
are global there.
"""

import os

from celery import Celery
from django.core import checks
from django.db import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("guichet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A task retried after a database error waits at most this long (Celery's `retry_backoff_max`) inside a worker,
# unacknowledged, before it runs again.
ATTENTE_MAX_AVANT_REESSAI = 600


def genre(nom: str, *, soft_time_limit: int, time_limit: int) -> dict:
    if not 0 < soft_time_limit < time_limit:
        raise ValueError(f"Task kind {nom}: the soft limit must come before the hard one.")
    return {
        "genre": nom,
        "autoretry_for": (OperationalError,),
        "retry_backoff": True,
        "retry_backoff_max": ATTENTE_MAX_AVANT_REESSAI,
        "max_retries": 5,
        "soft_time_limit": soft_time_limit,
        "time_limit": time_limit,
    }


# One e-mail, one heartbeat, the fan-out of other tasks.
TACHE_COURTE = genre("courte", soft_time_limit=50, time_limit=60)
# A pass over many rows: the outbox, nightly reminders and closures, the indicators of a relais or a département.
TACHE_LOT = genre("lot", soft_time_limit=540, time_limit=600)
# The nightly retention job, which anonymises every record whose retention period is over, one by one.
TACHE_LONGUE = genre("longue", soft_time_limit=3540, time_limit=3600)
GENRES = {options["genre"]: options for options in (TACHE_COURTE, TACHE_LOT, TACHE_LONGUE)}

# A task stays unacknowledged in Redis from its delivery to its end: a retry's wait, then its run up to the hard
# limit. Redis hands it to another worker after the visibility timeout, so this is the smallest safe one.
LIMITE_LA_PLUS_LONGUE = max(options["time_limit"] for options in GENRES.values())
DUREE_MAX_NON_ACQUITTEE = ATTENTE_MAX_AVANT_REESSAI + LIMITE_LA_PLUS_LONGUE


def taches_du_projet() -> dict:
    """Our registered tasks by name (Celery's own, `celery.*`, excluded), every app's `tasks` module imported."""
    app.loader.import_default_modules()
    return {nom: tache for nom, tache in sorted(app.tasks.items()) if not nom.startswith("celery.")}


@checks.register(checks.Tags.compatibility, deploy=True)
def verifier_les_taches(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Deploy check (`manage.py check --deploy`): the limits the worker applies are those of a declared kind,
    and the broker's visibility timeout covers them."""
    from django.conf import settings

    visibility_timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    erreurs = []
    for nom, tache in taches_du_projet().items():
        genre = GENRES.get(getattr(tache, "genre", None))
        if genre is None:
            erreurs.append(
                checks.Error(f"The task {nom} declares no kind.", hint="@shared_task(**TACHE_LOT)", id="guichet.E101")
            )
        elif (tache.soft_time_limit, tache.time_limit) != (genre["soft_time_limit"], genre["time_limit"]):
            erreurs.append(
                checks.Error(
                    f"The task {nom} sets limits of its own "
                    f"({tache.soft_time_limit} s / {tache.time_limit} s), not those of its kind {genre['genre']}.",
                    hint="Choose or declare a kind in config/celery.py.",
                    id="guichet.E102",
                )
            )
        elif tache.time_limit + ATTENTE_MAX_AVANT_REESSAI > visibility_timeout:
            erreurs.append(
                checks.Error(
                    f"The task {nom} may stay unacknowledged {tache.time_limit + ATTENTE_MAX_AVANT_REESSAI} s, "
                    f"beyond the broker's visibility timeout ({visibility_timeout} s): Redis would hand it to a "
                    "second worker while it runs.",
                    hint="Raise CELERY_VISIBILITY_TIMEOUT, or leave it unset.",
                    id="guichet.E103",
                )
            )
    return erreurs
