"""Who sees which wish, session, enrolment or alternative-childcare request. Views and services never
filter by hand: they call these. `access_*` answer 404 for what the user may not see."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from assmats.permissions import assmats_for_user
from comptes.models import Role, User
from formation.models import (
    DemandeAccueilAlternatif,
    EnfantConcerne,
    Inscription,
    OrganismeFormation,
    PropositionAccueilAlternatif,
    SessionFormation,
    SouhaitFormation,
)
from relais.permissions import relais_for_user

# The relais' team acts on sessions, enrolments and requests; admins may too. CAF agents read indicators only.
ROLES_RELAIS = (Role.ANIMATEUR, Role.ADMIN)


def est_du_relais(user: User) -> bool:
    return user.is_authenticated and user.role in ROLES_RELAIS


def _verrouiller(queryset: QuerySet, lock: bool) -> QuerySet:
    return queryset.select_for_update(of=("self",)) if lock else queryset


def souhaits_for_user(user: User) -> QuerySet[SouhaitFormation]:
    """A childminder: her own wishes; the relais' team: wishes of the childminders of its territories."""
    if not user.is_authenticated or user.role not in (Role.ASSMAT, *ROLES_RELAIS):
        return SouhaitFormation.objects.none()
    return SouhaitFormation.objects.filter(assistant_maternel__in=assmats_for_user(user))


def access_souhait_for_user(user: User, pk: int, *, lock: bool = False) -> SouhaitFormation:
    return get_object_or_404(_verrouiller(souhaits_for_user(user), lock), pk=pk)


def organismes_for_user(user: User) -> QuerySet[OrganismeFormation]:
    """Training bodies form one directory shared by every relais (one row per SIRET)."""
    return OrganismeFormation.objects.all() if est_du_relais(user) else OrganismeFormation.objects.none()


def access_organisme_for_user(user: User, pk: int) -> OrganismeFormation:
    return get_object_or_404(organismes_for_user(user), pk=pk)


def sessions_for_user(user: User) -> QuerySet[SessionFormation]:
    """The relais' team: its relais' sessions. A childminder: the sessions she may enrol on — any session,
    since training is open to every childminder; the "near me" list narrows it by distance."""
    if not user.is_authenticated:
        return SessionFormation.objects.none()
    if user.role in ROLES_RELAIS:
        return SessionFormation.objects.filter(relais__in=relais_for_user(user))
    if user.role == Role.ASSMAT:
        return SessionFormation.objects.all()
    return SessionFormation.objects.none()


def access_session_for_user(user: User, pk: int, *, lock: bool = False) -> SessionFormation:
    return get_object_or_404(_verrouiller(sessions_for_user(user), lock), pk=pk)


def inscriptions_for_user(user: User) -> QuerySet[Inscription]:
    """A childminder: her own enrolments; the relais' team: enrolments on its sessions."""
    if not user.is_authenticated:
        return Inscription.objects.none()
    if user.role == Role.ASSMAT:
        return Inscription.objects.filter(assistant_maternel__user=user)
    if user.role in ROLES_RELAIS:
        return Inscription.objects.filter(session__relais__in=relais_for_user(user))
    return Inscription.objects.none()


def access_inscription_for_user(user: User, pk: int, *, lock: bool = False) -> Inscription:
    return get_object_or_404(_verrouiller(inscriptions_for_user(user), lock), pk=pk)


def demandes_alternatives_for_user(user: User) -> QuerySet[DemandeAccueilAlternatif]:
    """A parent: the requests they filed; the relais' team: its relais' requests."""
    if not user.is_authenticated:
        return DemandeAccueilAlternatif.objects.none()
    if user.role == Role.PARENT:
        return DemandeAccueilAlternatif.objects.filter(parent=user)
    if user.role in ROLES_RELAIS:
        return DemandeAccueilAlternatif.objects.filter(relais__in=relais_for_user(user))
    return DemandeAccueilAlternatif.objects.none()


def access_demande_alternative_for_user(user: User, pk: int, *, lock: bool = False) -> DemandeAccueilAlternatif:
    return get_object_or_404(_verrouiller(demandes_alternatives_for_user(user), lock), pk=pk)


def propositions_for_user(user: User) -> QuerySet[PropositionAccueilAlternatif]:
    return PropositionAccueilAlternatif.objects.filter(demande__in=demandes_alternatives_for_user(user))


def access_proposition_for_user(user: User, pk: int, *, lock: bool = False) -> PropositionAccueilAlternatif:
    return get_object_or_404(_verrouiller(propositions_for_user(user), lock), pk=pk)


def enfants_concernes_for_user(user: User) -> QuerySet[EnfantConcerne]:
    return EnfantConcerne.objects.filter(inscription__in=inscriptions_for_user(user))


def candidats_for_user(user: User, relais_id: int):
    """Childminders the relais' team may propose: those of the request's territory it sees."""
    return assmats_for_user(user).filter(Q(commune__territoire__relais_id=relais_id))
