from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from audit.models import AuditLog
from audit.services import journaliser_connexion


@receiver(user_logged_in, dispatch_uid="audit_connexion")
def connexion(sender, request, user, **kwargs):
    journaliser_connexion(request, user, AuditLog.Action.LOGIN)


@receiver(user_logged_out, dispatch_uid="audit_deconnexion")
def deconnexion(sender, request, user, **kwargs):
    journaliser_connexion(request, user, AuditLog.Action.LOGOUT)
