from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # CONCURRENTLY: the history table has millions of rows at national scale; requests keep being written meanwhile.
    atomic = False

    dependencies = [
        ("demandes", "0005_anonymise_le"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="historiquedemande",
            index=models.Index(fields=["demande", "vers", "created_at"], name="historique_demande_vers_idx"),
        ),
    ]
