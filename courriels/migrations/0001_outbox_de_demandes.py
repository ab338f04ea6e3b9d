import django.utils.timezone
from django.db import migrations, models

# The outbox was `demandes.Email`: this app takes over its table (`demandes_email`) without touching the
# database here; `demandes` 0011 drops the model from its own state and the request's foreign key.


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("demandes", "0010_issues_des_rendez_vous_et_origine_de_la_solution"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Email",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("destinataire", models.EmailField(max_length=254, verbose_name="destinataire")),
                        ("sujet", models.CharField(max_length=250, verbose_name="sujet")),
                        ("corps", models.TextField(verbose_name="corps")),
                        ("piece_jointe_nom", models.CharField(blank=True, max_length=100)),
                        ("piece_jointe_type", models.CharField(blank=True, max_length=100)),
                        ("piece_jointe", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("envoye_at", models.DateTimeField(blank=True, null=True, verbose_name="envoyé le")),
                        ("tentatives", models.PositiveSmallIntegerField(default=0)),
                        ("derniere_erreur", models.TextField(blank=True)),
                    ],
                    options={
                        "verbose_name": "e-mail (file d'envoi)",
                        "verbose_name_plural": "e-mails (file d'envoi)",
                        "db_table": "demandes_email",
                        "ordering": ["pk"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("envoye_at__isnull", True)),
                                fields=["id"],
                                name="email_en_attente_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
