from datetime import date
from decimal import Decimal

from django.db import migrations


def creer_parametres_par_defaut(apps, schema_editor):
    """The experiment's ceiling, so that admins find the row to edit (same values as ParametresEligibilite.DEFAUT)."""
    ParametresEligibilite = apps.get_model("tiers_payant", "ParametresEligibilite")
    ParametresEligibilite.objects.get_or_create(
        debut=date(2015, 1, 1),
        defaults={
            "taux_pourcent": Decimal("29.25"),
            "plafond_paje_majore": Decimal("45392.00"),
            "majoration_par_enfant": Decimal("6444.00"),
            "source": "Expérimentation du tiers payant du CMG (2015-2016, 11 départements) : ressources jusqu'à "
            "29,25 % du plafond majoré de la PAJE, soit 13 277 € par an pour un enfant et 1 885 € par enfant "
            "supplémentaire dans l'Hérault.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("tiers_payant", "0001_conventions_signatures_releves")]

    operations = [migrations.RunPython(creer_parametres_par_defaut, migrations.RunPython.noop)]
