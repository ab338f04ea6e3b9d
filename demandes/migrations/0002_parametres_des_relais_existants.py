from django.db import migrations


def creer_parametres(apps, schema_editor):
    """Relais created before this app get the default ranking weights (new ones get them by signal)."""
    Relais = apps.get_model("relais", "Relais")
    ParametresClassement = apps.get_model("demandes", "ParametresClassement")
    ParametresClassement.objects.bulk_create(
        [ParametresClassement(relais_id=pk) for pk in Relais.objects.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("demandes", "0001_demandes_historique_rdv_classement_outbox"),
    ]

    operations = [migrations.RunPython(creer_parametres, migrations.RunPython.noop)]
