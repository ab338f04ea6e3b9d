"""History of the display of availability (mission 2 (b) at a past date).

The table is append-only: the database refuses UPDATE (DELETE stays possible, for the CASCADE of a file that is
itself deleted). The backfill writes one event per existing childminder from her current state: her consent,
dated at her latest confirmation when she has a declaration (then it is a confirmation event), at the file's
creation otherwise. Every figure the indicator gave before this migration is therefore unchanged: it read that
same consent and that same confirmation date.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

AJOUT_SEUL = """
CREATE FUNCTION assmats_historiqueaffichage_refuser_modification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'L''historique de l''affichage est en ajout seul : UPDATE refusé.'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER assmats_historiqueaffichage_ajout_seul
    BEFORE UPDATE ON assmats_historiqueaffichage
    FOR EACH ROW EXECUTE FUNCTION assmats_historiqueaffichage_refuser_modification();
"""

SANS_AJOUT_SEUL = """
DROP TRIGGER IF EXISTS assmats_historiqueaffichage_ajout_seul ON assmats_historiqueaffichage;
DROP FUNCTION IF EXISTS assmats_historiqueaffichage_refuser_modification();
"""


def etat_actuel(apps, schema_editor):
    historique = apps.get_model("assmats", "HistoriqueAffichage")._meta.db_table
    assmat = apps.get_model("assmats", "AssistantMaternel")._meta.db_table
    disponibilite = apps.get_model("assmats", "Disponibilite")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {historique} (assistant_maternel_id, le, affiche, confirmation) "  # noqa: S608 - table names
            f"SELECT am.id, COALESCE(d.confirmee_le, am.created_at), am.afficher_disponibilites, d.id IS NOT NULL "
            f"FROM {assmat} am LEFT JOIN {disponibilite} d ON d.assistant_maternel_id = am.id"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assmats", "0003_anonymise_le"),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoriqueAffichage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("le", models.DateTimeField(default=django.utils.timezone.now, verbose_name="le")),
                ("affiche", models.BooleanField(verbose_name="consentement à l'affichage après l'événement")),
                ("confirmation", models.BooleanField(verbose_name="déclaration ou confirmation des disponibilités")),
                (
                    "assistant_maternel",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="historique_affichage",
                        to="assmats.assistantmaternel",
                    ),
                ),
            ],
            options={
                "verbose_name": "événement d'affichage des disponibilités",
                "verbose_name_plural": "historique de l'affichage des disponibilités",
                "ordering": ["le", "pk"],
                "indexes": [models.Index(fields=["assistant_maternel", "le"], name="historique_affichage_am_le_idx")],
            },
        ),
        migrations.RunSQL(AJOUT_SEUL, SANS_AJOUT_SEUL),
        migrations.RunPython(etat_actuel, migrations.RunPython.noop),
    ]
