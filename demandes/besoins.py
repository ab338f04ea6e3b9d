"""Unmet needs: requests closed without a solution, by commune, child age band and schedule type, set
against the free places declared in the same commune for the same age band (parcours step 4)."""

import textwrap
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
    commune_id: int
    libelle: str
    valeur: int
    places: int
    y: int
    largeur: int
    largeur_places: int
    # The commune's name on as many lines as it needs: never cut, whatever its length.
    lignes_libelle: tuple[str, ...] = ()

    @property
    def valeur_publiee(self) -> str:
        return effectif_publie(self.valeur)


def barres(lignes: list[LigneBesoin], largeur_max: int = 400, hauteur_ligne: int = 44) -> list[Barre]:
    """Bars for the server-rendered SVG chart: one per commune (by id: two communes of the same name stay two),
    unmet requests vs places declared."""
    noms: dict[int, str] = {}
    demandes_par_commune: dict[int, int] = defaultdict(int)
    places_par_tranche: dict[tuple[int, str], int] = {}
    for ligne in lignes:
        noms[ligne.commune_id] = ligne.commune
        demandes_par_commune[ligne.commune_id] += ligne.sans_solution
        # Standard and atypical rows of a band share the same declared places: count them once.
        places_par_tranche[(ligne.commune_id, ligne.tranche)] = ligne.places_declarees
    places_par_commune: dict[int, int] = defaultdict(int)
    for (commune_id, _tranche), places in places_par_tranche.items():
        places_par_commune[commune_id] += places
    # A suppressed total is drawn at the threshold's length: the bar must not tell what the label hides.
    seuil = settings.STATS_SMALL_CELL_THRESHOLD
    longueurs = {commune: max(valeur, seuil) if valeur else 0 for commune, valeur in demandes_par_commune.items()}
    maximum = max([*longueurs.values(), *places_par_commune.values(), 1])
    resultat, y = [], 0
    for commune_id, valeur in demandes_par_commune.items():
        libelle = tuple(textwrap.wrap(noms[commune_id], CARACTERES_PAR_LIGNE, break_on_hyphens=True)) or ("",)
        resultat.append(
            Barre(
                commune_id=commune_id,
                libelle=noms[commune_id],
                valeur=valeur,
                places=places_par_commune[commune_id],
                y=y,
                largeur=round(longueurs[commune_id] * largeur_max / maximum),
                largeur_places=round(places_par_commune[commune_id] * largeur_max / maximum),
                lignes_libelle=libelle,
            )
        )
        y += max(hauteur_ligne, INTERLIGNE * len(libelle) + 8)
    return resultat


# The chart's layout, in SVG units: a legend band on top, then one row per commune; the commune's name wrapped in
# a left column wide enough for CARACTERES_PAR_LIGNE characters, the bars after it, their labels after the bars
# within the chart's width.
LARGEUR_GRAPHIQUE, COLONNE_LIBELLES, PLACE_DES_ETIQUETTES = 720, 200, 170
CARACTERES_PAR_LIGNE, INTERLIGNE, HAUTEUR_LEGENDE, HAUTEUR_TOTAL = 24, 16, 36, 28


@dataclass(frozen=True)
class GraphiqueBesoins:
    barres: list[Barre]
    total_sans_solution: int
    total_places: int
    largeur: int = LARGEUR_GRAPHIQUE
    debut_barres: int = COLONNE_LIBELLES + 10
    haut_barres: int = HAUTEUR_LEGENDE

    @property
    def hauteur(self) -> int:
        fin = self.barres[-1].y + max(44, INTERLIGNE * len(self.barres[-1].lignes_libelle) + 8) if self.barres else 0
        return self.haut_barres + fin + HAUTEUR_TOTAL

    @property
    def y_total(self) -> int:
        return self.hauteur - 8

    @property
    def total_publie(self) -> str:
        return effectif_publie(self.total_sans_solution)


def graphique(lignes: list[LigneBesoin]) -> GraphiqueBesoins:
    """The chart of the unmet needs page: every commune, its name never cut, nothing drawn over the legend, and the
    same total as the table's."""
    largeur_max = LARGEUR_GRAPHIQUE - COLONNE_LIBELLES - 10 - PLACE_DES_ETIQUETTES
    les_barres = barres(lignes, largeur_max=largeur_max)
    return GraphiqueBesoins(
        barres=les_barres,
        total_sans_solution=sum(b.valeur for b in les_barres),
        total_places=sum(b.places for b in les_barres),
    )
