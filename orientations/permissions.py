"""Who sees which referral. A partner's adviser sees their organisation's only; the relais' team reads the
request itself through `demandes.permissions`."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from comptes.models import Role, User
from orientations.models import MembrePartenaire, Orientation
from relais.permissions import relais_for_user


def orientations_for_user(user: User) -> QuerySet[Orientation]:
    """Partners: their organisation's referrals; animateurs: those received by their relais; parents: those
    that concern them; admins: all."""
    if not user.is_authenticated:
        return Orientation.objects.none()
    if user.role == Role.PARENT:
        # For the family's own GDPR export: who referred it, when, with which consent.
        return Orientation.objects.filter(Q(demande__parent=user) | Q(demande__second_responsable=user))
    if user.role == Role.PARTENAIRE:
        return Orientation.objects.filter(partenaire__membres__user=user)
    if user.role == Role.ANIMATEUR:
        return Orientation.objects.filter(demande__relais__in=relais_for_user(user).values("pk"))
    if user.role == Role.ADMIN:
        return Orientation.objects.all()
    return Orientation.objects.none()


def access_orientation_for_user(user: User, pk: int) -> Orientation:
    return get_object_or_404(orientations_for_user(user).select_related("demande", "partenaire"), pk=pk)


def membre_partenaire(user: User) -> MembrePartenaire:
    """The adviser's organisation; an account not attached to one cannot refer anybody yet."""
    membre = (
        MembrePartenaire.objects.select_related("partenaire").filter(user=user, user__role=Role.PARTENAIRE).first()
    )
    if membre is None:
        raise PermissionDenied(
            "Votre compte n'est rattaché à aucun organisme partenaire : demandez-le à l'administrateur du portail."
        )
    return membre
