"""The outbox of every e-mail the portal sends (`courriels.services` writes it, `envoyer_en_attente` drains it).

A core app: it knows no other app of ours. What an e-mail is about is a label its caller gives (`sujet_de`),
so that the caller can later erase the e-mails of a record it anonymises; the sender and the reply-to address
are written as the caller wants them shown.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class EmailQuerySet(models.QuerySet):
    def a_envoyer(self, maintenant):
        """Neither sent nor given up, and its next attempt is due."""
        return self.filter(envoye_at__isnull=True, abandonne_le__isnull=True).filter(
            Q(prochain_essai_le__isnull=True) | Q(prochain_essai_le__lte=maintenant)
        )


class Email(models.Model):
    """Transactional outbox: written in the same transaction as the change, drained by a task."""

    destinataire = models.EmailField("destinataire")
    sujet = models.CharField("sujet", max_length=250)
    corps = models.TextField("corps")
    # Blank: the portal's own sender (DEFAULT_FROM_EMAIL).
    expediteur = models.CharField("expéditeur", max_length=320, blank=True)
    # Addresses separated by commas (the relais' for an e-mail sent in its name, a family's to a relais).
    reply_to = models.CharField("répondre à", max_length=500, blank=True)
    # A label such as "demandes.demande:42": the record the e-mail speaks of, for its erasure (GDPR).
    sujet_de = models.CharField("à propos de", max_length=100, blank=True)
    piece_jointe_nom = models.CharField(max_length=100, blank=True)
    piece_jointe_type = models.CharField(max_length=100, blank=True)
    piece_jointe = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    envoye_at = models.DateTimeField("envoyé le", null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)
    prochain_essai_le = models.DateTimeField("prochain essai le", null=True, blank=True)
    abandonne_le = models.DateTimeField("abandonné le", null=True, blank=True)
    derniere_erreur = models.TextField(blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        # The table of the outbox that `demandes` held first: moved without copying a row.
        db_table = "demandes_email"
        verbose_name = "e-mail (file d'envoi)"
        verbose_name_plural = "e-mails (file d'envoi)"
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(envoye_at__isnull=True, abandonne_le__isnull=True),
                name="courriel_en_attente_idx",
            ),
            models.Index(fields=["sujet_de"], condition=~Q(sujet_de=""), name="courriel_sujet_de_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.destinataire} – {self.sujet}"
