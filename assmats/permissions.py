"""Who sees which childminder or structure. Views never filter by hand."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from assmats.models import AssistantMaternel, SignalementSousActivite, Structure
from comptes.models import Role, User
from relais.permissions import relais_for_user


def assmats_for_user(user: User) -> QuerySet[AssistantMaternel]:
    """Staff: childminders living in the territories they see; a childminder: herself."""
    if not user.is_authenticated:
        return AssistantMaternel.objects.none()
    if user.role == Role.ASSMAT:
        return AssistantMaternel.objects.filter(user=user)
    if user.role in (Role.ANIMATEUR, Role.AGENT_CAF, Role.ADMIN):
        return AssistantMaternel.objects.filter(commune__territoire__relais__in=relais_for_user(user))
    return AssistantMaternel.objects.none()


def access_assmat_for_user(user: User, pk: int, *, lock: bool = False) -> AssistantMaternel:
    queryset = assmats_for_user(user)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return get_object_or_404(queryset, pk=pk)


def profil_de(user: User) -> AssistantMaternel:
    """The childminder's own file; 404 until she has created it."""
    try:
        return AssistantMaternel.objects.select_related("commune", "agrement").get(user=user)
    except AssistantMaternel.DoesNotExist:
        raise Http404("Profil non renseigné.") from None


def signalements_for_user(user: User) -> QuerySet[SignalementSousActivite]:
    return SignalementSousActivite.objects.filter(assistant_maternel__in=assmats_for_user(user))


def access_signalement_for_user(user: User, pk: int) -> SignalementSousActivite:
    return get_object_or_404(signalements_for_user(user).select_related("assistant_maternel"), pk=pk)


def structures_for_user(user: User) -> QuerySet[Structure]:
    if not user.is_authenticated or user.role not in (Role.ANIMATEUR, Role.AGENT_CAF, Role.ADMIN):
        return Structure.objects.none()
    return Structure.objects.filter(commune__territoire__relais__in=relais_for_user(user))


def access_structure_for_user(user: User, pk: int) -> Structure:
    return get_object_or_404(structures_for_user(user), pk=pk)


def voit_les_enfants_accueillis(user: User) -> bool:
    """The children a childminder cares for, by first name and birth date: her relais' business, not the CAF's,
    which counts places and audits with references (data minimisation)."""
    return user.role != Role.AGENT_CAF
