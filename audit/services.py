"""Writes to the audit trail. Views call `journaliser` in one line; login and logout come from auth signals."""

from django.db import models

from audit.models import AuditLog
from comptes.models import STAFF_ROLES

Action = AuditLog.Action


def journaliser(
    request, action: str, objet: models.Model | str | None = None, description: str = ""
) -> AuditLog | None:
    """Records `action` on `objet` (an instance, or a label such as "demandes.besoins" for an export).

    Reads are recorded for staff only (animateur, agent CAF, admin): a family reading its own request
    is not an access to someone else's data.
    """
    user = request.user if request.user.is_authenticated else None
    if action == Action.READ and (user is None or user.role not in STAFF_ROLES):
        return None
    if isinstance(objet, models.Model):
        object_type, object_id = objet._meta.label_lower, str(objet.pk)
    else:
        object_type, object_id = objet or "", ""
    return AuditLog.objects.create(
        user=user,
        email=user.email if user else "",
        role=user.role if user else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        description=description[:255],
        ip=request.META.get("REMOTE_ADDR") or None,
        path=request.path[:500],
    )


def journaliser_connexion(request, user, action: str) -> AuditLog | None:
    if request is None or user is None:
        return None
    return AuditLog.objects.create(
        user=user,
        email=user.email,
        role=user.role,
        action=action,
        object_type="comptes.user",
        object_id=str(user.pk),
        ip=request.META.get("REMOTE_ADDR") or None,
        path=request.path[:500],
    )
