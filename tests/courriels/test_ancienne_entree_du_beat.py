"""Databases made before the outbox moved to `courriels` lose the beat entry that drained it under its old name."""

import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import IntervalSchedule, PeriodicTask

migration = importlib.import_module("courriels.migrations.0003_ancienne_entree_du_beat")


@pytest.mark.django_db
def test_the_old_drain_entry_is_deleted_and_the_current_one_kept():
    chaque_minute = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(
        name="demandes-envoyer-emails", task="demandes.tasks.envoyer_emails_en_attente", interval=chaque_minute
    )
    PeriodicTask.objects.create(
        name="courriels-envoyer-en-attente", task="courriels.tasks.envoyer_en_attente", interval=chaque_minute
    )

    migration.supprimer_l_ancienne_entree(apps, None)

    assert list(PeriodicTask.objects.values_list("name", flat=True)) == ["courriels-envoyer-en-attente"]
