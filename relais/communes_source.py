"""Reads communes from the npm package @etalab/decoupage-administratif or from a CSV file.

CSV columns (header required, UTF-8, comma-separated): code_insee, nom, departement,
codes_postaux (separated by spaces), population, epci_code, epci_nom, latitude, longitude.
The last five may be empty.
"""

import csv
import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

from relais.services import CommuneImportee

DECOUPAGE_DIR = settings.BASE_DIR / "node_modules" / "@etalab" / "decoupage-administratif" / "data"
CSV_COLUMNS = [
    "code_insee",
    "nom",
    "departement",
    "codes_postaux",
    "population",
    "epci_code",
    "epci_nom",
    "latitude",
    "longitude",
]


class SourceInvalide(ValueError):
    pass


def _load(name: str) -> list[dict]:
    path = DECOUPAGE_DIR / name
    if not path.exists():
        raise SourceInvalide(
            f"{path} est introuvable : lancez « npm ci » pour installer @etalab/decoupage-administratif."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def nom_du_departement(code: str) -> str | None:
    try:
        departements = _load("departements.json")
    except SourceInvalide:
        return None
    return next((d["nom"] for d in departements if d["code"] == code), None)


def communes_du_departement(code: str) -> list[CommuneImportee]:
    epci_par_commune = {
        membre["code"]: (epci["code"], epci["nom"]) for epci in _load("epci.json") for membre in epci["membres"]
    }
    communes = []
    for row in _load("communes.json"):
        if row.get("departement") != code or row.get("type") != "commune-actuelle":
            continue
        epci_code, epci_nom = epci_par_commune.get(row["code"], (None, None))
        communes.append(
            CommuneImportee(
                code_insee=row["code"],
                nom=row["nom"],
                codes_postaux=tuple(row.get("codesPostaux", [])),
                population=row.get("population"),
                epci_code=epci_code,
                epci_nom=epci_nom,
            )
        )
    if not communes:
        raise SourceInvalide(f"Aucune commune pour le département « {code} ».")
    return communes


def _coordonnee(value: str, line: int, name: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise SourceInvalide(f"Ligne {line} : {name} « {value} » n'est pas un nombre.") from None


def communes_du_csv(path: Path, departement: str) -> Iterator[CommuneImportee]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(CSV_COLUMNS[:3]) - set(reader.fieldnames or [])
        if missing:
            raise SourceInvalide("Colonnes manquantes : " + ", ".join(sorted(missing)) + ".")
        for line, row in enumerate(reader, start=2):
            row = {key: (value or "").strip() for key, value in row.items() if key}
            if row["departement"] != departement:
                continue
            if not row["code_insee"] or not row["nom"]:
                raise SourceInvalide(f"Ligne {line} : code INSEE et nom sont obligatoires.")
            population = row.get("population", "")
            if population and not population.isdigit():
                raise SourceInvalide(f"Ligne {line} : population « {population} » n'est pas un entier.")
            yield CommuneImportee(
                code_insee=row["code_insee"],
                nom=row["nom"],
                codes_postaux=tuple(row.get("codes_postaux", "").split()),
                population=int(population) if population else None,
                epci_code=row.get("epci_code") or None,
                epci_nom=row.get("epci_nom") or None,
                latitude=_coordonnee(row.get("latitude", ""), line, "latitude"),
                longitude=_coordonnee(row.get("longitude", ""), line, "longitude"),
            )
