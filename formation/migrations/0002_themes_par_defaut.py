from django.db import migrations

# The usual catalogue of continuing training for childminders; the admin edits the list afterwards.
THEMES = [
    "Premiers secours (SST, PSC1)",
    "Accueil d'un enfant en situation de handicap",
    "Langage et communication avec le jeune enfant",
    "Pratique professionnelle et relations avec les parents",
    "Éveil, jeux et activités",
    "Alimentation et repas du jeune enfant",
    "Sommeil et rythmes de l'enfant",
    "Prévention des violences et protection de l'enfance",
    "Droit du travail et contrat de l'assistant maternel",
    "Langue des signes pour bébé",
]


def creer_themes(apps, schema_editor):
    ThemeFormation = apps.get_model("formation", "ThemeFormation")
    for ordre, libelle in enumerate(THEMES, start=1):
        ThemeFormation.objects.get_or_create(libelle=libelle, defaults={"ordre": ordre * 10})


def supprimer_themes(apps, schema_editor):
    ThemeFormation = apps.get_model("formation", "ThemeFormation")
    ThemeFormation.objects.filter(libelle__in=THEMES, souhaits__isnull=True, sessions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("formation", "0001_formation_continue")]

    operations = [migrations.RunPython(creer_themes, supprimer_themes)]
