"""The beat schedule drained the outbox as `demandes-envoyer-emails` (task `demandes.tasks.envoyer_emails_en_attente`)
before the outbox moved to `courriels`. django_celery_beat's DatabaseScheduler adds the entries of
CELERY_BEAT_SCHEDULE to its table but never deletes one that left it: without this step, databases made before the
move keep running a second drain every minute, under the old task name, which no longer exists."""

from django.db import migrations

ANCIENNE_ENTREE = "demandes-envoyer-emails"


def supprimer_l_ancienne_entree(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=ANCIENNE_ENTREE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courriels", "0002_expediteur_essais_et_sujet"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(supprimer_l_ancienne_entree, migrations.RunPython.noop)]
