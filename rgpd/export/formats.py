"""The export as a file: JSON for a program, a letter's text for the PDF.

The JSON keeps values as a program reads them (ISO dates, amounts as strings); the letter writes them as a
French reader expects: « 1 234,56 € », « 5 décembre 2026 à 9 h 30 », « oui / non », a phone in pairs.
"""

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import formats, numberformat, timezone, translation

from comptes.champs import telephone_lisible
from rgpd.export.socle import DETAIL, EUROS, HEURES, MASQUE, MOIS, TELEPHONE

# What a section says to the letter only (`socle.section`): a program has no use for it.
POUR_LA_LETTRE = ("genres", "vide")
# Between thousands a narrow no-break space, before the unit a no-break space (French typography).
ESPACE_MILLIERS, ESPACE_UNITE = "\u202f", "\u00a0"


def _en_json(valeur: Any) -> Any:
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).isoformat(timespec="seconds")
    if isinstance(valeur, date | time):
        return valeur.isoformat()
    if isinstance(valeur, Decimal):
        return str(valeur)
    return str(valeur)


def _pour_un_programme(donnees: dict[str, Any]) -> dict[str, Any]:
    sections = {}
    for cle, sec in donnees["sections"].items():
        sec = {k: v for k, v in sec.items() if k not in POUR_LA_LETTRE}
        sec["sous_tables"] = {
            k: {c: v for c, v in st.items() if c not in POUR_LA_LETTRE} for k, st in sec["sous_tables"].items()
        }
        sections[cle] = sec
    return donnees | {"sections": sections}


def en_json(donnees: dict[str, Any]) -> str:
    """UTF-8 JSON, dates in ISO 8601 (Paris time), amounts as strings (no float rounding)."""
    return json.dumps(_pour_un_programme(donnees), default=_en_json, ensure_ascii=False, indent=2)


# --- The letter ----------------------------------------------------------------------------------------------------


def nombre(valeur: Decimal | int | float, decimales: int | None = None) -> str:
    """« 1 234,5 »: the decimals written (trailing zeros dropped) unless `decimales` is given."""
    valeur = Decimal(str(valeur))
    if decimales is None:
        decimales = max(0, -valeur.normalize().as_tuple().exponent)
    return numberformat.format(
        valeur, ",", decimal_pos=decimales, grouping=3, thousand_sep=ESPACE_MILLIERS, force_grouping=True
    )


def euros(valeur: Decimal | int) -> str:
    return f"{nombre(valeur, 2)}{ESPACE_UNITE}€"


def heure_lisible(valeur: time) -> str:
    return f"{valeur.hour} h" if valeur.minute == 0 else f"{valeur.hour} h {valeur.minute:02d}"


def date_lisible(valeur: date) -> str:
    """« 5 décembre 2026 », « 1er mars 2027 »."""
    with translation.override("fr"):
        mois = formats.date_format(valeur, "F Y")
    return f"{'1er' if valeur.day == 1 else valeur.day} {mois}"


def moment_lisible(valeur: datetime) -> str:
    """« 5 décembre 2026 à 9 h 30 », in Paris time."""
    valeur = timezone.localtime(valeur)
    return f"{date_lisible(valeur.date())} à {heure_lisible(valeur.time())}"


def mois_lisible(valeur: date | str) -> str:
    """« décembre 2026 », from a date or a « 2026-12 » string."""
    if isinstance(valeur, str):
        annee, mois = valeur.split("-")[:2]
        valeur = date(int(annee), int(mois), 1)
    with translation.override("fr"):
        return formats.date_format(valeur, "F Y")


def texte_lisible(valeur: Any, genre: Any = "") -> str:
    """A value as a French reader expects it; `genre` (see `socle.genre_du_champ`) when its type is not enough."""
    if valeur is None or valeur == "" or valeur == [] or valeur == {}:
        return "—"
    if callable(genre):
        return genre(valeur)
    if genre == DETAIL:
        return "dans le fichier JSON de vos données (page « Mes données »)"
    if genre == EUROS:
        return euros(valeur)
    if genre == HEURES:
        return f"{nombre(valeur)}{ESPACE_UNITE}h"
    if genre == MOIS:
        return mois_lisible(valeur)
    if genre == TELEPHONE:
        return telephone_lisible(valeur)
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime):
        return moment_lisible(valeur)
    if isinstance(valeur, date):
        return date_lisible(valeur)
    if isinstance(valeur, time):
        return heure_lisible(valeur)
    if isinstance(valeur, Decimal | int | float):
        return nombre(valeur)
    if isinstance(valeur, list):
        return ", ".join(texte_lisible(v) for v in valeur)
    if isinstance(valeur, dict):
        return " ; ".join(f"{cle} : {texte_lisible(v)}" for cle, v in valeur.items())
    return str(valeur)


def _libelle(libelle: str) -> str:
    # The unit moves to the value (« 4,85 € »): the label loses its « (€) ».
    libelle = libelle.replace(" (€)", "")
    return libelle[:1].upper() + libelle[1:]


# A nested table wider than this is written as one small card per row: A4 has no room for 14 columns.
COLONNES_EN_TABLEAU = 5


def _table(st: dict[str, Any], rangees: list[dict[str, Any]]) -> dict[str, Any]:
    noms = [nom for nom in st["libelles"] if st["genres"].get(nom) != MASQUE]
    textes = [[texte_lisible(r[nom], st["genres"].get(nom, "")) for nom in noms] for r in rangees]
    entetes = [_libelle(st["libelles"][nom]) for nom in noms]
    return {
        "titre": st["titre"],
        "vide": st["vide"],
        "entetes": entetes,
        "lignes": textes,
        "en_fiches": len(noms) > COLONNES_EN_TABLEAU,
        "fiches": [list(zip(entetes, rangee, strict=True)) for rangee in textes],
    }


def pour_affichage(donnees: dict[str, Any]) -> list[dict[str, Any]]:
    """Sections for the letter: each row as (label, text) pairs, each nested table as headers and rows."""
    resultat = []
    for cle, sec in donnees["sections"].items():
        genres = sec["genres"]
        lignes = []
        for ligne in sec["lignes"]:
            champs = [
                (_libelle(libelle), texte_lisible(ligne[nom], genres.get(nom, "")))
                for nom, libelle in sec["libelles"].items()
                if genres.get(nom) != MASQUE
            ]
            tables = [_table(st, ligne[cle_st]) for cle_st, st in sec["sous_tables"].items()]
            lignes.append({"champs": champs, "tables": tables})
        textes = {"titre": sec["titre"], "explication": sec["explication"], "vide": sec["vide"]}
        resultat.append({"cle": cle, **textes, "lignes": lignes})
    return resultat
