"""Who sees which AVIP place or parcours: those who see the request (its family, its relais' team, admins).
Views and services never filter by hand: they call these."""

from django.db.models import QuerySet

from comptes.models import User
from demandes.models import Demande
from demandes.permissions import demandes_for_user, est_de_l_equipe
from insertion.models import AttributionAvip, ContactParcours, ParcoursAttentionne


def attributions_for_user(user: User) -> QuerySet[AttributionAvip]:
    return AttributionAvip.objects.filter(demande__in=demandes_for_user(user).values("pk"))


def parcours_for_user(user: User) -> QuerySet[ParcoursAttentionne]:
    return ParcoursAttentionne.objects.filter(demande__in=demandes_for_user(user).values("pk"))


def attributions_de_la_demande_vue(demande: Demande) -> QuerySet[AttributionAvip]:
    """The AVIP places of a request the caller has already read through `demandes_for_user`: whoever sees the
    request sees its places. Saves the request page a second pass through the permission subqueries."""
    return AttributionAvip.objects.filter(demande_id=demande.pk)


def parcours_de_la_demande_vue(demande: Demande) -> QuerySet[ParcoursAttentionne]:
    """The PEPIT parcours of a request already read through `demandes_for_user` (see above)."""
    return ParcoursAttentionne.objects.filter(demande_id=demande.pk)


def contacts_for_user(user: User) -> QuerySet[ContactParcours]:
    return ContactParcours.objects.filter(parcours__in=parcours_for_user(user).values("pk"))


def voit_les_notes(user: User) -> bool:
    """The team's notes on a parcours (contacts, review) are never shown to the family."""
    return est_de_l_equipe(user)
