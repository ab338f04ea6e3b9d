"""The export as a file: JSON for a program, readable text for the PDF and the page."""

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone


def _en_json(valeur: Any) -> Any:
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).isoformat(timespec="seconds")
    if isinstance(valeur, date | time):
        return valeur.isoformat()
    if isinstance(valeur, Decimal):
        return str(valeur)
    return str(valeur)


def en_json(donnees: dict[str, Any]) -> str:
    """UTF-8 JSON, dates in ISO 8601 (Paris time), amounts as strings (no float rounding)."""
    return json.dumps(donnees, default=_en_json, ensure_ascii=False, indent=2)


def texte_lisible(valeur: Any) -> str:
    """A value as a French reader expects it (for the PDF and the page)."""
    if valeur is None or valeur == "" or valeur == []:
        return "—"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, time):
        return valeur.strftime("%H:%M")
    if isinstance(valeur, Decimal):
        return str(valeur).replace(".", ",")
    if isinstance(valeur, list):
        return ", ".join(texte_lisible(v) for v in valeur)
    if isinstance(valeur, dict):
        return " ; ".join(f"{cle} : {texte_lisible(v)}" for cle, v in valeur.items())
    return str(valeur)


def pour_affichage(donnees: dict[str, Any]) -> list[dict[str, Any]]:
    """Sections for a template: each row as (label, text) pairs, each nested table as headers and rows."""
    resultat = []
    for cle, sec in donnees["sections"].items():
        lignes = []
        for ligne in sec["lignes"]:
            champs = [(libelle, texte_lisible(ligne[nom])) for nom, libelle in sec["libelles"].items()]
            tables = [
                {
                    "titre": st["titre"],
                    "entetes": list(st["libelles"].values()),
                    "lignes": [[texte_lisible(r[nom]) for nom in st["libelles"]] for r in ligne[cle_st]],
                }
                for cle_st, st in sec["sous_tables"].items()
            ]
            lignes.append({"champs": champs, "tables": tables})
        resultat.append({"cle": cle, "titre": sec["titre"], "explication": sec["explication"], "lignes": lignes})
    return resultat
