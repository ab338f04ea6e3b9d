"""Who sees which convention, and who may act on it. Views and services never filter by hand."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from comptes.models import Role, User
from relais.permissions import relais_for_user
from tiers_payant.models import Convention, Partie, ReleveMensuel

# Conventions are prepared, sent, ended by the relais' staff and the CAF's agents.
ROLES_GESTION = frozenset({Role.ANIMATEUR, Role.AGENT_CAF})


def conventions_for_user(user: User) -> QuerySet[Convention]:
    """Parents: theirs (either guardian); a childminder: hers; animateurs: their relais'; CAF agents: the
    relais of their départements; admins: all."""
    if not user.is_authenticated:
        return Convention.objects.none()
    if user.role == Role.PARENT:
        return Convention.objects.filter(Q(parent=user) | Q(parent2=user))
    if user.role == Role.ASSMAT:
        return Convention.objects.filter(assistant_maternel__user=user)
    if user.role in (Role.ANIMATEUR, Role.AGENT_CAF, Role.ADMIN):
        return Convention.objects.filter(relais__in=relais_for_user(user).values("pk"))
    return Convention.objects.none()


def parents_for_user(user: User) -> QuerySet[User]:
    """The parents a convention this user prepares may name, each found by the address the family gives.

    Any family, not only those who filed a request with one of the user's relais: a family that found its
    childminder on its own asks for the tiers payant too, and its commune (in the user's territory) is what ties
    the convention to a relais. Nothing is listed: the form only says whether the typed address is a parent's
    account. Active accounts only: a deleted (anonymised) or deactivated one could never sign."""
    if user.role not in ROLES_GESTION:
        return User.objects.none()
    return User.objects.filter(role=Role.PARENT, is_active=True)


def access_convention_for_user(user: User, pk: int, *, lock: bool = False) -> Convention:
    """The convention if the user may see it, else 404 (no hint that it exists).

    With `lock`, the row stays locked until the transaction ends, so that a transition reads the status
    another transaction may just have changed."""
    # Every transition reads the childminder (is this user her?) and the relais (its CAF).
    conventions = conventions_for_user(user).select_related("assistant_maternel", "relais__departement")
    if lock:
        conventions = conventions.select_for_update(of=("self",))
    return get_object_or_404(conventions, pk=pk)


def releves_for_user(user: User) -> QuerySet[ReleveMensuel]:
    return ReleveMensuel.objects.filter(convention__in=conventions_for_user(user).values("pk"))


def access_releve_for_user(user: User, pk: int, *, lock: bool = False) -> ReleveMensuel:
    releves = releves_for_user(user).select_related("convention__assistant_maternel")
    if lock:
        releves = releves.select_for_update(of=("self",))
    return get_object_or_404(releves, pk=pk)


def exiger_gestionnaire(user: User) -> None:
    if user.role not in ROLES_GESTION:
        raise PermissionDenied("Seuls l'équipe du relais et les agents de la CAF gèrent les conventions.")


def parties_de(user: User, convention: Convention) -> list[str]:
    """The parties this user signs for (usually one; none for an animateur or an admin)."""
    parties = []
    if user.role == Role.AGENT_CAF:
        parties.append(Partie.CAF)  # the convention is visible, so its département is the agent's
    if user.pk == convention.parent_id:
        parties.append(Partie.PARENT)
    if convention.parent2_id and user.pk == convention.parent2_id:
        parties.append(Partie.PARENT2)
    if user.role == Role.ASSMAT and convention.assistant_maternel.user_id == user.pk:
        parties.append(Partie.ASSMAT)
    return parties


def enfant_masque_pour(user: User) -> bool:
    """A CAF agent reads no child's name or birth date (data minimisation, issue 14): the CAF pays and audits a
    care named by the convention's reference, its family (the allocataire) and its childminder. The parties and
    the relais' staff read the full contract."""
    return user.role == Role.AGENT_CAF


def est_famille(user: User, convention: Convention) -> bool:
    return user.pk in (convention.parent_id, convention.parent2_id)


def est_assmat(user: User, convention: Convention) -> bool:
    return user.role == Role.ASSMAT and convention.assistant_maternel.user_id == user.pk
