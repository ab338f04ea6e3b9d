"""Reads of referrals. A partner's pages read only the fields listed here: the request's status and dates, never
its content (notes, proposals, childminders, the family's situation)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from comptes.models import User
from orientations.models import STATUT_VISIBLE, Orientation, StatutVisible
from orientations.permissions import orientations_for_user
from relais.models import Commune, Relais
from relais.selectors import ORDRE_DES_COMMUNES

# What a partner's list and page load of the request: nothing else leaves the database for them.
CHAMPS_VUS_PAR_LE_PARTENAIRE = (
    "famille_prenom",
    "famille_nom",
    "consentement_le",
    "created_at",
    "partenaire_id",
    "demande__reference",
    "demande__statut",
    "demande__statut_modifie_at",
    "demande__urgence",
    "demande__commune__nom",
    "demande__relais__nom",
)


def list_communes_des_relais(relais: QuerySet[Relais]) -> QuerySet[Commune]:
    """The communes a partner may refer a family from: those its relais serve."""
    return Commune.objects.filter(territoire__relais__in=relais).order_by(*ORDRE_DES_COMMUNES)


def list_orientations_du_partenaire(user: User) -> QuerySet[Orientation]:
    return (
        orientations_for_user(user)
        .select_related("demande__commune", "demande__relais")
        .only(*CHAMPS_VUS_PAR_LE_PARTENAIRE)
        .order_by("-created_at", "-pk")
    )


def get_orientation_du_partenaire(user: User, pk: int) -> Orientation:
    return get_object_or_404(list_orientations_du_partenaire(user), pk=pk)


@dataclass(frozen=True)
class Etape:
    statut: StatutVisible
    le: datetime


def etapes_visibles(orientation: Orientation) -> list[Etape]:
    """The request's history as the partner sees it: each visible status once, on the day it was reached; the
    history's notes and authors are never read."""
    etapes: list[Etape] = []
    for vers, le in orientation.demande.historique.order_by("created_at", "pk").values_list("vers", "created_at"):
        statut = STATUT_VISIBLE[vers]
        if not etapes or etapes[-1].statut != statut:
            etapes.append(Etape(statut, le))
    return etapes


def list_orientations_recues(user: User) -> QuerySet[Orientation]:
    """The relais' side: referrals received, urgent open ones first (answer within 24 h), then the newest."""
    return (
        orientations_for_user(user)
        .select_related("partenaire", "orientee_par", "demande__commune", "demande__relais")
        .order_by("-demande__urgence", "-created_at", "-pk")
    )
