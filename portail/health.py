"""Checks behind /healthz: each returns (ok, detail) and never raises."""

from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app
from portail.models import BattementWorker


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported as text
        return False, type(exc).__name__
    return True, "ok"


def check_broker() -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    return True, "ok"


def dernier_battement() -> str | None:
    try:
        battement = BattementWorker.objects.order_by("-recu_at").first()
    except Exception:  # noqa: BLE001
        return None
    return timezone.localtime(battement.recu_at).isoformat() if battement else None
