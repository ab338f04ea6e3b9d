"""Which relais a user may see. Views never filter relais by hand: they call these."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from comptes.models import Role, User
from relais.models import Commune, Relais


def relais_for_user(user: User) -> QuerySet[Relais]:
    """Animateurs: their relais; CAF agents: the relais of their départements; admins: all."""
    if not user.is_authenticated:
        return Relais.objects.none()
    if user.role == Role.ADMIN:
        return Relais.objects.all()
    if user.role == Role.ANIMATEUR:
        return Relais.objects.filter(membres__user=user)
    if user.role == Role.AGENT_CAF:
        return Relais.objects.filter(departement__agents_caf__user=user)
    return Relais.objects.none()


def access_relais_for_user(user: User, pk: int) -> Relais:
    """The relais if the user may see it, else 404 (no hint that it exists)."""
    return get_object_or_404(relais_for_user(user), pk=pk)


def communes_for_user(user: User) -> QuerySet[Commune]:
    """Communes of the territories the user may see."""
    return Commune.objects.filter(territoire__relais__in=relais_for_user(user))
