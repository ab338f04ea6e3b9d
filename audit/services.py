"""Writes to the audit trail.

Views call `journaliser` in one line for reads and exports; login and logout come from auth signals; every
successful write request by a signed-in user is recorded by `audit.middleware.journaliser_ecritures`.
Each entry is attributed at write time to the relais and département it concerns (from the object, else
from the staff member's own single relais or département), which decides which CAF agents may read it.
"""

from django.db import models

from audit.models import AuditLog
from comptes.models import STAFF_ROLES, Role
from relais.permissions import relais_for_user

Action = AuditLog.Action


def _depuis(request) -> dict:
    """Where the request came from. REMOTE_ADDR is the client's address (see audit.middleware.ip_du_client)."""
    return {
        "ip": request.META.get("REMOTE_ADDR") or None,
        "path": request.path[:500],
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
    }


def _rattachement_de_l_objet(objet) -> tuple[int | None, int | None]:
    """(relais id, département id) of the object, when it belongs to one."""
    if not isinstance(objet, models.Model):
        return None, None
    label = objet._meta.label_lower
    if label == "relais.relais":
        return objet.pk, objet.departement_id
    if label == "relais.departement":
        return None, objet.pk
    if getattr(objet, "relais_id", None):
        return objet.relais_id, objet.relais.departement_id
    if getattr(objet, "commune_id", None):
        return None, objet.commune.departement_id
    return None, None


def _rattachement_de_l_auteur(user) -> tuple[int | None, int | None]:
    """(relais id, département id) of a staff member working for one relais or one département only.

    Admins and families concern no département by themselves: their entries without an object stay admin-only.
    """
    if user is None or user.role not in (Role.ANIMATEUR, Role.AGENT_CAF):
        return None, None
    if user.role == Role.AGENT_CAF:
        departements = set(user.departements_caf.values_list("departement_id", flat=True))
        return (None, departements.pop()) if len(departements) == 1 else (None, None)
    relais = list(relais_for_user(user).order_by("pk").values_list("pk", "departement_id"))
    if len(relais) == 1:
        return relais[0]
    departements = {departement_id for _, departement_id in relais}
    return (None, departements.pop()) if len(departements) == 1 else (None, None)


def _rattachement(objet, user) -> dict:
    relais_id, departement_id = _rattachement_de_l_objet(objet)
    if departement_id is None:
        relais_id, departement_id = _rattachement_de_l_auteur(user)
    return {"relais_id": relais_id, "departement_id": departement_id}


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
        **_rattachement(objet, user),
        **_depuis(request),
    )


def journaliser_tache(*, action: str, objet: str, description: str) -> AuditLog:
    """Records what a scheduled job did to personal data (no request, no author: the portal itself), for
    admins only (no département)."""
    return AuditLog.objects.create(action=action, object_type=objet, description=description[:255])


def journaliser_ecriture(request, *, vue: str, parametres: dict, statut: int) -> AuditLog:
    """Records a write request (POST, PUT, PATCH, DELETE) that succeeded: the URL name and its arguments
    (object ids), never the submitted form, which holds personal data."""
    user = request.user
    parametres = {cle: str(valeur) for cle, valeur in sorted(parametres.items())}
    arguments = " ".join(f"{cle}={valeur}" for cle, valeur in parametres.items())
    return AuditLog.objects.create(
        user=user,
        email=user.email,
        role=user.role,
        action=Action.DELETE if request.method == "DELETE" else Action.UPDATE,
        vue=vue[:150],
        parametres=parametres,
        description=f"{request.method} {vue} {arguments} → {statut}".replace("  ", " ")[:255],
        **_rattachement(None, user),
        **_depuis(request),
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
        **_rattachement(None, user),
        **_depuis(request),
    )
