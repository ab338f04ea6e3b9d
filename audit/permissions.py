"""Who may read which entries of the audit trail. Views never filter the trail by hand: they call these."""

from django.db.models import Q, QuerySet

from audit.models import AuditLog
from comptes.models import Role, User


def journal_for_user(user: User) -> QuerySet[AuditLog]:
    """Admins: every entry. CAF agents: entries concerning their départements, and their own.

    An entry attributed to no département (a family's login, an admin's change) is for admins only.
    """
    if not user.is_authenticated:
        return AuditLog.objects.none()
    if user.role == Role.ADMIN:
        return AuditLog.objects.all()
    if user.role == Role.AGENT_CAF:
        departements = user.departements_caf.values("departement_id")
        return AuditLog.objects.filter(Q(departement__in=departements) | Q(user=user))
    return AuditLog.objects.none()
