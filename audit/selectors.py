from django.db.models import QuerySet

from audit.models import AuditLog
from audit.permissions import journal_for_user
from comptes.models import User


def list_journal(*, user: User, email: str = "", object_type: str = "", du=None, au=None) -> QuerySet[AuditLog]:
    """Entries `user` may read matching the filters, newest first. `du`/`au` are dates, both included (Paris time)."""
    entrees = journal_for_user(user)
    if email:
        entrees = entrees.filter(email__icontains=email.strip())
    if object_type:
        entrees = entrees.filter(object_type=object_type)
    if du:
        entrees = entrees.filter(created_at__date__gte=du)
    if au:
        entrees = entrees.filter(created_at__date__lte=au)
    return entrees.order_by("-created_at", "-pk")


def list_types_d_objet(*, user: User) -> list[str]:
    return list(journal_for_user(user).order_by("object_type").values_list("object_type", flat=True).distinct())
