import csv
import io

import pytest

from comptes.texte import une_ligne
from fichiers.tableur import PREFIXES_DE_FORMULE, neutraliser

# What a family, a childminder or a client can type, each starting as a spreadsheet formula.
FORMULES = ['=HYPERLINK("http://exemple.invalid";"Cliquez")', "+CMD|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


@pytest.fixture(params=FORMULES, ids=["egal", "plus", "moins", "arobase", "tabulation"])
def formule(request):
    return request.param


def cellules(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def verifier_sans_formule(response, *attendues: str) -> None:
    """Each expected text is in the file as neutralised text, and no cell at all starts as a formula.

    A single-line column stores a typed tabulation as a space (`comptes.texte`), then stripped: "\t=1+1" is
    kept as "=1+1", which must be neutralised just the same.
    """
    toutes = [cellule for ligne in cellules(response) for cellule in ligne]
    for texte in attendues:
        assert {"'" + texte, "'" + une_ligne(texte)} & set(toutes), texte
    dangereuses = [c for c in toutes if c.startswith(PREFIXES_DE_FORMULE) and neutraliser(c) != c]
    assert dangereuses == []
