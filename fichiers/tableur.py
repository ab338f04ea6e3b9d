"""The one CSV writer of the portal: what French spreadsheets open in one click, with no live formula.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by Excel and
LibreOffice (`=HYPERLINK(…)`, `@SUM(…)`, DDE payloads). As OWASP recommends, such a cell is prefixed with
an apostrophe, which spreadsheets hide and treat as « this is text ». Numbers are not text: a negative
amount stays a number.
"""

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

PREFIXES_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")

# "-12,50" or "+3.5" typed as text is a number to a spreadsheet, not a formula: left as it is.
_NOMBRE = re.compile(r"[+-]?\d+(?:[.,]\d+)?")

# Excel opens UTF-8 with accents right only after a byte-order mark.
BOM = "\ufeff"


def neutraliser(valeur: object) -> object:
    """The cell as written: text that a spreadsheet would evaluate gets a leading apostrophe."""
    if isinstance(valeur, int | float | Decimal) or valeur is None:
        return valeur
    texte = str(valeur)
    if texte.startswith(PREFIXES_DE_FORMULE) and not _NOMBRE.fullmatch(texte):
        return "'" + texte
    return texte


def virgule_decimale(valeur: object) -> str:
    """A number as French spreadsheets read it in a `;` file: decimal comma; empty for None."""
    return "" if valeur is None else str(valeur).replace(".", ",")


class Ecrivain:
    """`csv.writer` with `;` (French spreadsheets' separator) whose every cell goes through `neutraliser`."""

    def __init__(self, fichier):
        self._ecrivain = csv.writer(fichier, delimiter=";", lineterminator="\r\n")

    def writerow(self, cellules: Iterable[object]) -> None:
        self._ecrivain.writerow([neutraliser(cellule) for cellule in cellules])

    def writerows(self, lignes: Iterable[Iterable[object]]) -> None:
        for cellules in lignes:
            self.writerow(cellules)


def reponse_csv(nom_de_fichier: str) -> tuple[HttpResponse, Ecrivain]:
    """A download response, its byte-order mark written, and the writer to fill it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{nom_de_fichier}"'
    response.write(BOM)
    return response, Ecrivain(response)


def texte_csv(lignes: Iterable[Iterable[object]]) -> str:
    """The same file as a string (header included in `lignes`), for callers that are not views."""
    tampon = io.StringIO()
    tampon.write(BOM)
    Ecrivain(tampon).writerows(lignes)
    return tampon.getvalue()
