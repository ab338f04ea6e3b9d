from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courriels", "0001_outbox_de_demandes"),
    ]

    operations = [
        migrations.AddField(
            model_name="email",
            name="expediteur",
            field=models.CharField(blank=True, max_length=320, verbose_name="expéditeur"),
        ),
        migrations.AddField(
            model_name="email",
            name="reply_to",
            field=models.CharField(blank=True, max_length=500, verbose_name="répondre à"),
        ),
        migrations.AddField(
            model_name="email",
            name="sujet_de",
            field=models.CharField(blank=True, max_length=100, verbose_name="à propos de"),
        ),
        migrations.AddField(
            model_name="email",
            name="prochain_essai_le",
            field=models.DateTimeField(blank=True, null=True, verbose_name="prochain essai le"),
        ),
        migrations.AddField(
            model_name="email",
            name="abandonne_le",
            field=models.DateTimeField(blank=True, null=True, verbose_name="abandonné le"),
        ),
        migrations.RemoveIndex(model_name="email", name="email_en_attente_idx"),
        migrations.AddIndex(
            model_name="email",
            index=models.Index(
                condition=models.Q(("abandonne_le__isnull", True), ("envoye_at__isnull", True)),
                fields=["id"],
                name="courriel_en_attente_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="email",
            index=models.Index(
                condition=models.Q(("sujet_de", ""), _negated=True), fields=["sujet_de"], name="courriel_sujet_de_idx"
            ),
        ),
    ]
