"""Unmet needs: requests closed without a solution, by commune, child age band and schedule type, set
against the free places declared in the same commune for the same age band (parcours step 4)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Func, IntegerField, QuerySet, Value, When

from assmats import selectors as offre
from demandes.models import Demande, Statut


@dataclass(frozen=True)
class LigneBesoin:
    commune_id: int
    commune: str
    tranche: str
    horaires: str
    sans_solution: int
    places_declarees: int

    @property
    def sans_solution_publie(self) -> str:
        return effectif_publie(self.sans_solution)

    @property
    def libelle_tranche(self) -> str:
        return "moins de 3 ans" if self.tranche == "moins_3" else "3 ans et plus"


def effectif_publie(nombre: int, seuil: int | None = None) -> str:
    """A count of families as published: under the threshold it reads « < seuil », so that no family
    of a small commune can be singled out (statistical secrecy). Zero stays zero: it designates no one."""
    seuil = settings.STATS_SMALL_CELL_THRESHOLD if seuil is None else seuil
    return f"< {seuil}" if 0 < nombre < seuil else str(nombre)


class AgeEnAnnees(Func):
    """Whole years between two dates, in PostgreSQL."""

    template = "EXTRACT(YEAR FROM age(%(expressions)s))::integer"
    output_field = IntegerField()


def besoins_non_satisfaits(demandes: QuerySet[Demande], annee: int, au: date) -> list[LigneBesoin]:
    groupes = (
        demandes.filter(statut=Statut.SANS_SOLUTION, statut_modifie_at__year=annee)
        .annotate(
            age=AgeEnAnnees(F("date_debut_souhaitee"), F("enfant_date")),
            tranche=Case(When(age__lt=3, then=Value("moins_3")), default=Value("plus_3"), output_field=CharField()),
            type_horaires=Case(
                When(horaires_atypiques=[], then=Value("standard")),
                default=Value("atypiques"),
                output_field=CharField(),
            ),
        )
        .values("commune_id", "commune__nom", "tranche", "type_horaires")
        .annotate(n=Count("pk"))
        .order_by("commune__nom", "commune_id", "tranche", "type_horaires")
    )
    groupes = list(groupes)
    places = offre.places_declarees_par_commune(sorted({g["commune_id"] for g in groupes}), au)
    return [
        LigneBesoin(
            commune_id=g["commune_id"],
            commune=g["commune__nom"],
            tranche=g["tranche"],
            horaires=g["type_horaires"],
            sans_solution=g["n"],
            places_declarees=places.get((g["commune_id"], g["tranche"]), 0),
        )
        for g in groupes
    ]


@dataclass(frozen=True)
class Barre:
    libelle: str
    valeur: int
    places: int
    y: int
    largeur: int
    largeur_places: int

    @property
    def valeur_publiee(self) -> str:
        return effectif_publie(self.valeur)


def barres(lignes: list[LigneBesoin], largeur_max: int = 400) -> list[Barre]:
    """Bars for the server-rendered SVG chart: one per commune, unmet requests vs places declared."""
    demandes_par_commune: dict[str, int] = defaultdict(int)
    places_par_tranche: dict[tuple[str, str], int] = {}
    for ligne in lignes:
        demandes_par_commune[ligne.commune] += ligne.sans_solution
        # Standard and atypical rows of a band share the same declared places: count them once.
        places_par_tranche[(ligne.commune, ligne.tranche)] = ligne.places_declarees
    places_par_commune: dict[str, int] = defaultdict(int)
    for (commune, _tranche), places in places_par_tranche.items():
        places_par_commune[commune] += places
    # A suppressed total is drawn at the threshold's length: the bar must not tell what the label hides.
    seuil = settings.STATS_SMALL_CELL_THRESHOLD
    longueurs = {commune: max(valeur, seuil) if valeur else 0 for commune, valeur in demandes_par_commune.items()}
    maximum = max([*longueurs.values(), *places_par_commune.values(), 1])
    return [
        Barre(
            libelle=commune,
            valeur=valeur,
            places=places_par_commune[commune],
            y=rang * 44,
            largeur=round(longueurs[commune] * largeur_max / maximum),
            largeur_places=round(places_par_commune[commune] * largeur_max / maximum),
        )
        for rang, (commune, valeur) in enumerate(demandes_par_commune.items())
    ]
