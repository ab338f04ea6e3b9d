from email.utils import parseaddr

from django.conf import settings
from django.db import migrations

# The outbox moves to `courriels` (its table stays). What the request's foreign key gave is written on the
# rows first: the label of the request (its e-mails are erased with it), and for the e-mails not sent yet,
# the relais' name as sender and its address for replies, as the drain used to read them from the request.
SUJET_DE = """
UPDATE demandes_email SET sujet_de = 'demandes.demande:' || demande_id WHERE demande_id IS NOT NULL
"""
EXPEDITEUR_DES_EN_ATTENTE = """
UPDATE demandes_email e
   SET expediteur = '"' || replace(replace(
           CASE WHEN upper(r.nom) LIKE 'RPE%%' OR upper(r.nom) LIKE 'RELAIS%%' THEN r.nom ELSE 'RPE ' || r.nom END,
           '\\', ''), '"', '') || '" <' || %s || '>',
       reply_to = r.email
  FROM demandes_demande d JOIN relais_relais r ON r.id = d.relais_id
 WHERE e.demande_id = d.id AND e.envoye_at IS NULL
"""


def reporter_la_demande(apps, schema_editor):
    with schema_editor.connection.cursor() as curseur:
        # The request's key is a deferred constraint: checked at once, the updates leave no pending trigger
        # event, which would forbid the ALTER TABLE below in the same transaction.
        curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        curseur.execute(SUJET_DE)
        curseur.execute(EXPEDITEUR_DES_EN_ATTENTE, [parseaddr(settings.DEFAULT_FROM_EMAIL)[1]])
    # The model's permissions and admin log entries follow it.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="courriels", model="email").exists():
        ContentType.objects.filter(app_label="demandes", model="email").update(app_label="courriels")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("courriels", "0002_expediteur_essais_et_sujet"),
        ("demandes", "0010_issues_des_rendez_vous_et_origine_de_la_solution"),
    ]

    operations = [
        migrations.RunPython(reporter_la_demande, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Email")],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE demandes_email DROP COLUMN demande_id",
                    "ALTER TABLE demandes_email ADD COLUMN demande_id bigint NULL "
                    "REFERENCES demandes_demande (id) DEFERRABLE INITIALLY DEFERRED",
                )
            ],
        ),
    ]
