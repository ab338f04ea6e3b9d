from django.db import migrations


def creer_parametres(apps, schema_editor):
    apps.get_model("assmats", "ParametresOffre").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("assmats", "0001_offre_initiale")]

    operations = [migrations.RunPython(creer_parametres, migrations.RunPython.noop)]
