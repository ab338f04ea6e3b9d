from django.db.models import QuerySet

from audit.models import AuditLog


def list_journal(*, email: str = "", object_type: str = "", du=None, au=None) -> QuerySet[AuditLog]:
    """Entries matching the filters, newest first. `du`/`au` are dates, both included (Paris time)."""
    entrees = AuditLog.objects.all()
    if email:
        entrees = entrees.filter(email__icontains=email.strip())
    if object_type:
        entrees = entrees.filter(object_type=object_type)
    if du:
        entrees = entrees.filter(created_at__date__gte=du)
    if au:
        entrees = entrees.filter(created_at__date__lte=au)
    return entrees.order_by("-created_at", "-pk")


def list_types_d_objet() -> list[str]:
    return list(AuditLog.objects.order_by("object_type").values_list("object_type", flat=True).distinct())
