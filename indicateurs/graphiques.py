"""Server-rendered SVG trend chart: two series told apart by line style and marker shape, not colour."""

from dataclasses import dataclass

MOIS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
LARGEUR, HAUTEUR = 640, 280
MARGE_G, MARGE_D, MARGE_H, MARGE_B = 48, 16, 16, 40


@dataclass
class Point:
    x: float
    y: float
    valeur: int
    mois: str


@dataclass
class Serie:
    libelle: str
    points: list[Point]
    pointilles: bool

    @property
    def chemin(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass
class Graduation:
    y: float
    valeur: int


@dataclass
class Graphique:
    largeur: int
    hauteur: int
    series: list[Serie]
    graduations: list[Graduation]
    abscisses: list[tuple[float, str]]
    base: float
    gauche: float
    droite: float

    @property
    def lignes(self) -> list[tuple[str, int, int]]:
        """The data table alternative: month, this year, previous year."""
        courante, precedente = self.series
        return [(p.mois, p.valeur, q.valeur) for p, q in zip(courante.points, precedente.points, strict=True)]


def _pas(maximum: int) -> int:
    for pas in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if maximum / pas <= 5:
            return pas
    return 10000


def tendance(annee: int, par_mois: list[int], par_mois_precedent: list[int]) -> Graphique:
    maximum = max([*par_mois, *par_mois_precedent, 1])
    pas = _pas(maximum)
    haut = -(-maximum // pas) * pas
    utile_l, utile_h = LARGEUR - MARGE_G - MARGE_D, HAUTEUR - MARGE_H - MARGE_B

    def x(i: int) -> float:
        return MARGE_G + utile_l * (i + 0.5) / 12

    def y(v: int) -> float:
        return MARGE_H + utile_h * (1 - v / haut)

    def serie(libelle, valeurs, pointilles):
        return Serie(libelle, [Point(x(i), y(v), v, MOIS[i]) for i, v in enumerate(valeurs)], pointilles)

    return Graphique(
        largeur=LARGEUR,
        hauteur=HAUTEUR,
        series=[serie(str(annee), par_mois, False), serie(str(annee - 1), par_mois_precedent, True)],
        graduations=[Graduation(y(v), v) for v in range(0, haut + 1, pas)],
        abscisses=[(x(i), MOIS[i]) for i in range(12)],
        base=y(0),
        gauche=MARGE_G,
        droite=LARGEUR - MARGE_D,
    )
