"""Which requests a user may see. Views and services never filter requests by hand: they call these."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from comptes.models import Role, User
from demandes.models import Demande
from relais.permissions import relais_for_user

ROLES_RELAIS = frozenset({Role.ANIMATEUR, Role.ADMIN})


def demandes_for_user(user: User) -> QuerySet[Demande]:
    """Parents: their own requests and those naming them as second guardian; animateurs: their relais';
    admins: all. CAF agents see indicators only, never a family's request."""
    if not user.is_authenticated:
        return Demande.objects.none()
    if user.role == Role.PARENT:
        return Demande.objects.filter(Q(parent=user) | Q(second_responsable=user))
    if user.role == Role.ANIMATEUR:
        return Demande.objects.filter(relais__in=relais_for_user(user).values("pk"))
    if user.role == Role.ADMIN:
        return Demande.objects.all()
    return Demande.objects.none()


def access_demande_for_user(user: User, pk: int, *, lock: bool = False) -> Demande:
    """The request if the user may see it, else 404 (no hint that it exists).

    With `lock`, the row is locked until the end of the transaction, so that a transition reads the
    status another transaction may just have changed, not a stale copy.
    """
    demandes = demandes_for_user(user)
    if lock:
        demandes = demandes.select_for_update(of=("self",))
    return get_object_or_404(demandes, pk=pk)


def exiger_relais(user: User) -> None:
    """Only the relais' staff act on a request's processing."""
    if user.role not in ROLES_RELAIS:
        raise PermissionDenied("Seule l'équipe du relais peut traiter une demande.")


def exiger_famille(user: User, demande: Demande) -> None:
    """Only the family (parent or second guardian) changes or withdraws its request."""
    if user.pk not in (demande.parent_id, demande.second_responsable_id):
        raise PermissionDenied("Seule la famille peut modifier ou retirer sa demande.")


def est_de_l_equipe(user: User) -> bool:
    return user.is_authenticated and user.role in ROLES_RELAIS


def demandes_du_perimetre_statistique(user: User) -> QuerySet[Demande]:
    """Requests counted in aggregated figures (no names shown): the relais a user may see, CAF agents included."""
    return Demande.objects.filter(relais__in=relais_for_user(user).values("pk"))
