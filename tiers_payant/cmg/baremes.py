"""Dated parameters of the CMG and PSU scales, read from the JSON files in `parametres/`.

One file per parameter family; each holds periods `{debut, fin, valeur, source}` where `fin`
is inclusive and `null` means "until the next values are published". Adding next year's values
is a data change: close the last period with a `fin` and append a new one. The files are
checked when loaded (shape, dates, overlaps) so that a bad edit fails at start-up, not in a
family's simulation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

DOSSIER_OFFICIEL = Path(__file__).resolve().parent / "parametres"


class ParametresInvalides(Exception):
    """A parameter file is malformed: wrong shape, bad dates or overlapping periods."""


class ParametresIndisponibles(Exception):
    """No period of a parameter covers the requested date."""

    def __init__(self, famille: str, jour: date, premier_jour: date | None):
        self.famille, self.jour, self.premier_jour = famille, jour, premier_jour
        if premier_jour is not None and jour < premier_jour:
            message = f"Les barèmes ne sont connus qu'à partir du 1er {mois_en_clair(premier_jour)}."
        else:
            message = f"Les barèmes ne sont pas connus pour {mois_en_clair(jour)}."
        super().__init__(message)


MOIS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def mois_en_clair(jour: date) -> str:
    return f"{MOIS[jour.month - 1]} {jour.year}"


# --- Shape of each family's `valeur` -------------------------------------------------------


def _nombre(valeur: Any, ou: str) -> Decimal:
    # bool is an int subclass: refuse it explicitly.
    if isinstance(valeur, bool) or not isinstance(valeur, (int, Decimal)):
        raise ParametresInvalides(f"{ou} : nombre attendu, trouvé {valeur!r}")
    nombre = Decimal(valeur)
    if not nombre.is_finite() or nombre < 0:
        raise ParametresInvalides(f"{ou} : nombre positif attendu, trouvé {valeur!r}")
    return nombre


def _entier(valeur: Any, ou: str) -> int:
    if isinstance(valeur, bool) or not isinstance(valeur, int) or valeur < 0:
        raise ParametresInvalides(f"{ou} : entier positif attendu, trouvé {valeur!r}")
    return valeur


def _objet(valeur: Any, ou: str, cles: set[str]) -> dict:
    if not isinstance(valeur, dict):
        raise ParametresInvalides(f"{ou} : objet attendu, trouvé {valeur!r}")
    if manquantes := cles - valeur.keys():
        raise ParametresInvalides(f"{ou} : clés manquantes {sorted(manquantes)}")
    if inconnues := valeur.keys() - cles:
        raise ParametresInvalides(f"{ou} : clés inconnues {sorted(inconnues)}")
    return valeur


def _regime(valeur: Any, ou: str) -> str:
    if valeur not in REGIMES:
        raise ParametresInvalides(f"{ou} : régime inconnu {valeur!r} (attendu : {sorted(REGIMES)})")
    return valeur


def _ancien_bareme(valeur: Any, ou: str) -> dict:
    cles = {
        "coefficients_bmaf",
        "age_taux_reduit",
        "coefficient_taux_reduit",
        "age_limite",
        "prise_en_charge_maximale",
        "majoration_parent_isole_aah_aeeh",
        "majoration_plafonds_parent_isole",
    }
    v = _objet(valeur, ou, cles)
    coefficients = v["coefficients_bmaf"]
    if not isinstance(coefficients, list) or len(coefficients) != 3:
        raise ParametresInvalides(f"{ou}.coefficients_bmaf : trois coefficients attendus (une par tranche)")
    return {
        "coefficients_bmaf": tuple(_nombre(c, f"{ou}.coefficients_bmaf") for c in coefficients),
        "age_taux_reduit": _entier(v["age_taux_reduit"], f"{ou}.age_taux_reduit"),
        "coefficient_taux_reduit": _nombre(v["coefficient_taux_reduit"], f"{ou}.coefficient_taux_reduit"),
        "age_limite": _entier(v["age_limite"], f"{ou}.age_limite"),
        "prise_en_charge_maximale": _nombre(v["prise_en_charge_maximale"], f"{ou}.prise_en_charge_maximale"),
        "majoration_parent_isole_aah_aeeh": _nombre(
            v["majoration_parent_isole_aah_aeeh"], f"{ou}.majoration_parent_isole_aah_aeeh"
        ),
        "majoration_plafonds_parent_isole": _nombre(
            v["majoration_plafonds_parent_isole"], f"{ou}.majoration_plafonds_parent_isole"
        ),
    }


def _plafonds(valeur: Any, ou: str) -> dict:
    v = _objet(valeur, ou, {"plafonds", "par_enfant_supplementaire"})
    lignes = v["plafonds"]
    if not isinstance(lignes, list) or not lignes:
        raise ParametresInvalides(f"{ou}.plafonds : liste non vide attendue")
    par_enfants = {}
    for i, ligne in enumerate(lignes):
        ligne = _objet(ligne, f"{ou}.plafonds[{i}]", {"enfants", "premier", "second"})
        enfants = _entier(ligne["enfants"], f"{ou}.plafonds[{i}].enfants")
        premier = _nombre(ligne["premier"], f"{ou}.plafonds[{i}].premier")
        second = _nombre(ligne["second"], f"{ou}.plafonds[{i}].second")
        if premier > second:
            raise ParametresInvalides(f"{ou}.plafonds[{i}] : premier plafond au-dessus du second")
        par_enfants[enfants] = (premier, second)
    if sorted(par_enfants) != list(range(1, len(par_enfants) + 1)):
        raise ParametresInvalides(f"{ou}.plafonds : une ligne par nombre d'enfants à partir de 1, sans trou")
    sup = _objet(v["par_enfant_supplementaire"], f"{ou}.par_enfant_supplementaire", {"premier", "second"})
    return {
        "plafonds": par_enfants,
        "par_enfant_supplementaire": (
            _nombre(sup["premier"], f"{ou}.par_enfant_supplementaire.premier"),
            _nombre(sup["second"], f"{ou}.par_enfant_supplementaire.second"),
        ),
    }


def _reforme(valeur: Any, ou: str) -> dict:
    v = _objet(valeur, ou, {"cout_horaire_reference", "plafond_horaire", "age_limite", "age_limite_parent_isole"})
    reference = _nombre(v["cout_horaire_reference"], f"{ou}.cout_horaire_reference")
    if reference == 0:
        raise ParametresInvalides(f"{ou}.cout_horaire_reference : ne peut pas être nul")
    return {
        "cout_horaire_reference": reference,
        "plafond_horaire": _nombre(v["plafond_horaire"], f"{ou}.plafond_horaire"),
        "age_limite": _entier(v["age_limite"], f"{ou}.age_limite"),
        "age_limite_parent_isole": _entier(v["age_limite_parent_isole"], f"{ou}.age_limite_parent_isole"),
    }


def _taux_effort(valeur: Any, ou: str) -> tuple[tuple[int, Decimal], ...]:
    v = _objet(valeur, ou, {"taux_par_enfants"})
    lignes = v["taux_par_enfants"]
    if not isinstance(lignes, list) or not lignes:
        raise ParametresInvalides(f"{ou}.taux_par_enfants : liste non vide attendue")
    taux = []
    for i, ligne in enumerate(lignes):
        ligne = _objet(ligne, f"{ou}.taux_par_enfants[{i}]", {"a_partir_de", "taux_pourcent"})
        taux.append(
            (
                _entier(ligne["a_partir_de"], f"{ou}.taux_par_enfants[{i}].a_partir_de"),
                _nombre(ligne["taux_pourcent"], f"{ou}.taux_par_enfants[{i}].taux_pourcent"),
            )
        )
    seuils = [seuil for seuil, _ in taux]
    if seuils[0] != 1 or seuils != sorted(set(seuils)):
        raise ParametresInvalides(f"{ou}.taux_par_enfants : seuils croissants commençant à 1 enfant attendus")
    if any(suivant > precedent for (_, precedent), (_, suivant) in zip(taux, taux[1:], strict=False)):
        raise ParametresInvalides(f"{ou}.taux_par_enfants : le taux ne peut pas augmenter avec le nombre d'enfants")
    return tuple(taux)


def _salaire_minimum(valeur: Any, ou: str) -> dict:
    cles = {"part_du_smic", "smic_horaire_brut", "minimum_horaire_brut", "minimum_horaire_net"}
    v = {cle: _nombre(nombre, f"{ou}.{cle}") for cle, nombre in _objet(valeur, ou, cles).items()}
    # The rounded minimum may not fall below the legal share of the SMIC, nor the net above the gross.
    if v["minimum_horaire_brut"] < v["part_du_smic"] * v["smic_horaire_brut"]:
        raise ParametresInvalides(f"{ou}.minimum_horaire_brut : inférieur à part_du_smic × smic_horaire_brut")
    if not 0 < v["minimum_horaire_net"] <= v["minimum_horaire_brut"]:
        raise ParametresInvalides(f"{ou}.minimum_horaire_net : attendu entre 0 et le minimum brut")
    return v


REGIMES = {"ancien_bareme", "reforme_2025"}

# Family name (file name without .json) → validator of one period's `valeur`.
FAMILLES: dict[str, Callable[[Any, str], Any]] = {
    "regimes": _regime,
    "bmaf": _nombre,
    "cmg_ancien_bareme": _ancien_bareme,
    "cmg_ancien_plafonds": _plafonds,
    "cmg_reforme": _reforme,
    "taux_effort": _taux_effort,
    "ressources_plancher": _nombre,
    "ressources_plafond": _nombre,
    "salaire_minimum": _salaire_minimum,
}


# --- Periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Periode:
    debut: date
    fin: date | None  # inclusive; None: still in force
    valeur: Any
    source: str

    def couvre(self, jour: date) -> bool:
        return self.debut <= jour and (self.fin is None or jour <= self.fin)


def _date(texte: Any, ou: str) -> date:
    if not isinstance(texte, str):
        raise ParametresInvalides(f"{ou} : date AAAA-MM-JJ attendue, trouvé {texte!r}")
    try:
        return date.fromisoformat(texte)
    except ValueError:
        raise ParametresInvalides(f"{ou} : date AAAA-MM-JJ attendue, trouvé {texte!r}") from None


def lire_famille(chemin: Path, valider: Callable[[Any, str], Any]) -> tuple[Periode, ...]:
    """Reads and checks one parameter file; returns its periods sorted by start date."""
    nom = chemin.name
    try:
        contenu = json.loads(chemin.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError) as exc:
        raise ParametresInvalides(f"{nom} : illisible ({exc})") from exc
    if not isinstance(contenu, dict) or not isinstance(contenu.get("periodes"), list) or not contenu["periodes"]:
        raise ParametresInvalides(f"{nom} : objet avec une liste « periodes » non vide attendu")
    periodes = []
    for i, brute in enumerate(contenu["periodes"]):
        ou = f"{nom} periodes[{i}]"
        brute = _objet(brute, ou, {"debut", "fin", "valeur", "source"})
        debut = _date(brute["debut"], f"{ou}.debut")
        fin = None if brute["fin"] is None else _date(brute["fin"], f"{ou}.fin")
        if fin is not None and fin < debut:
            raise ParametresInvalides(f"{ou} : fin {fin} avant le début {debut}")
        if not isinstance(brute["source"], str) or not brute["source"].strip():
            raise ParametresInvalides(f"{ou} : source manquante")
        periodes.append(Periode(debut, fin, valider(brute["valeur"], f"{ou}.valeur"), brute["source"].strip()))
    periodes.sort(key=lambda p: p.debut)
    for avant, apres in zip(periodes, periodes[1:], strict=False):
        if avant.fin is None or avant.fin >= apres.debut:
            raise ParametresInvalides(
                f"{nom} : la période commençant le {avant.debut} chevauche celle commençant le {apres.debut}"
            )
    return tuple(periodes)


@dataclass(frozen=True)
class Valeur:
    """A parameter's value on a date, with where it comes from (shown to the user)."""

    famille: str
    valeur: Any
    source: str
    debut: date
    fin: date | None


class Baremes:
    """All parameter families, checked; `valeur(famille, jour)` finds the period covering a day."""

    def __init__(self, familles: dict[str, tuple[Periode, ...]]):
        self._familles = familles

    @classmethod
    def depuis_dossier(cls, dossier: Path) -> Baremes:
        familles = {}
        for nom, valider in FAMILLES.items():
            chemin = dossier / f"{nom}.json"
            if not chemin.exists():
                raise ParametresInvalides(f"{nom}.json : fichier manquant dans {dossier}")
            familles[nom] = lire_famille(chemin, valider)
        return cls(familles)

    def valeur(self, famille: str, jour: date) -> Valeur:
        periodes = self._familles[famille]
        for periode in periodes:
            if periode.couvre(jour):
                return Valeur(famille, periode.valeur, periode.source, periode.debut, periode.fin)
        raise ParametresIndisponibles(famille, jour, periodes[0].debut)

    def premier_jour(self, *familles: str) -> date:
        """First day on which every named family has a value (the simulator's lower bound)."""
        return max(self._familles[nom][0].debut for nom in familles or self._familles)


@cache
def officiels() -> Baremes:
    """The project's parameter files, loaded and checked once per process."""
    return Baremes.depuis_dossier(DOSSIER_OFFICIEL)
