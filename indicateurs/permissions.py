"""Who sees which relais' indicators: CAF agents their départements, animateurs their relais, admins all."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from comptes.models import Role, User
from indicateurs.models import Calcul
from relais.models import Departement, Relais
from relais.permissions import access_relais_for_user, relais_for_user


def relais_indicateurs_for_user(user: User) -> QuerySet[Relais]:
    return relais_for_user(user)


def access_relais_indicateurs(user: User, pk: int) -> Relais:
    """The relais if the user may see its indicators, else 404."""
    return access_relais_for_user(user, pk)


def voit_les_noms(user: User, relais: Relais) -> bool:
    """Names behind a figure: the relais' own team (and admins). A CAF agent audits with references and ids:
    the figures are the CAF's business, the families' and childminders' identities are the relais'."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.ANIMATEUR and relais.membres.filter(user=user).exists()


def departements_indicateurs_for_user(user: User) -> QuerySet[Departement]:
    """The départements whose relais' indicators the user sees (a CAF agent: those of her CAF)."""
    return Departement.objects.filter(pk__in=relais_for_user(user).values("departement_id"))


def access_departement_indicateurs(user: User, pk: int) -> Departement:
    """The département if the user sees its relais' indicators, else 404."""
    return get_object_or_404(departements_indicateurs_for_user(user), pk=pk)


def access_calcul_for_user(user: User, pk: int) -> Calcul:
    """A relais' recomputation run, polled by its dashboard: 404 unless the user sees that relais' indicators."""
    return get_object_or_404(Calcul.objects.filter(relais__in=relais_indicateurs_for_user(user)), pk=pk)
