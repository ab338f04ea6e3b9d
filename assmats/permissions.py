"""Who sees which childminder or structure. Views never filter by hand."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from assmats.models import Accueil, AssistantMaternel, RelanceAffichage, SignalementSousActivite, Structure
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


def fiche_de(user: User) -> AssistantMaternel | None:
    """The childminder's own file, or None before she (or the PMI import) has created it."""
    return AssistantMaternel.objects.select_related("commune", "agrement").filter(user=user).first()


def profil_de(user: User) -> AssistantMaternel:
    """The childminder's own file; 404 until she has created it."""
    try:
        return AssistantMaternel.objects.select_related("commune", "agrement").get(user=user)
    except AssistantMaternel.DoesNotExist:
        raise Http404("Profil non renseigné.") from None


def access_accueil_for_user(user: User, pk: int) -> Accueil:
    """A child in care, for the childminder caring for it only; 404 otherwise."""
    return get_object_or_404(Accueil.objects.filter(assistant_maternel=profil_de(user)), pk=pk)


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


def access_relance_for_user(user: User, pk: int) -> RelanceAffichage:
    """A display reminder campaign, for the staff of the relais that launched it."""
    relances = RelanceAffichage.objects.filter(relais__in=relais_for_user(user)).select_related("relais")
    return get_object_or_404(relances, pk=pk)


def sur_le_territoire_de(user: User, commune) -> bool:
    """A structure belongs to the relais of its commune: a team places or moves one on its own territory only."""
    return relais_for_user(user).filter(communes=commune).exists()


def voit_les_enfants_accueillis(user: User) -> bool:
    """The children a childminder cares for, by first name and birth date: her relais' business, not the CAF's,
    which counts places and audits with references (data minimisation)."""
    return user.role != Role.AGENT_CAF
