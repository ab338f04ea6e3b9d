"""The audit trail: who read or changed what, when, from where.

Append-only: database triggers refuse UPDATE, DELETE and TRUNCATE.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditLog(models.Model):
    class Action(models.TextChoices):
        READ = "read", "Consultation"
        CREATE = "create", "Création"
        UPDATE = "update", "Modification"
        DELETE = "delete", "Suppression"
        EXPORT = "export", "Export"
        LOGIN = "login", "Connexion"
        LOGOUT = "logout", "Déconnexion"

    # No foreign-key constraint: the trail outlives the account it names (deleted or anonymised);
    # the e-mail and role are copied for the same reason.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    email = models.CharField("adresse e-mail", max_length=254, blank=True)
    role = models.CharField("rôle", max_length=20, blank=True)
    created_at = models.DateTimeField("date", default=timezone.now)
    action = models.CharField("action", max_length=10, choices=Action.choices)
    object_type = models.CharField("type d'objet", max_length=100, blank=True)
    object_id = models.CharField("identifiant", max_length=64, blank=True)
    description = models.CharField("description", max_length=255, blank=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    path = models.CharField("chemin", max_length=500, blank=True)
    user_agent = models.CharField("navigateur", max_length=255, blank=True)
    # A change recorded by the middleware: the URL name and its arguments (object ids), never the form.
    vue = models.CharField("vue", max_length=150, blank=True)
    parametres = models.JSONField("paramètres de l'adresse", default=dict, blank=True)
    # What the entry concerns, recorded at write time, so that a CAF agent sees only their départements'
    # entries; none (e.g. a family's login) means admins only. No constraint, as for `user`.
    relais = models.ForeignKey(
        "relais.Relais",
        verbose_name="relais",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    departement = models.ForeignKey(
        "relais.Departement",
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        verbose_name = "entrée du journal d'accès"
        verbose_name_plural = "journal d'accès"
        indexes = [
            models.Index(fields=["-created_at"], name="auditlog_date"),
            models.Index(fields=["email", "-created_at"], name="auditlog_email_date"),
            models.Index(fields=["object_type", "object_id"], name="auditlog_objet"),
            models.Index(fields=["departement", "-created_at"], name="auditlog_departement_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["read", "create", "update", "delete", "export", "login", "logout"]),
                name="auditlog_action_connue",
                violation_error_message="Cette action du journal d'audit n'est pas reconnue.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.email} {self.get_action_display()} {self.object_type}"
