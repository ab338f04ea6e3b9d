"""The portal's one CSV writer: a cell a spreadsheet would evaluate is text, a number stays a number."""

import csv
import io
from decimal import Decimal

import pytest

from fichiers.tableur import neutraliser, texte_csv

FORMULES = ['=HYPERLINK("http://exemple.invalid";"Cliquez")', "+1+1", "-1+1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("formule", FORMULES)
def test_une_cellule_qui_commence_comme_une_formule_est_ecrite_comme_du_texte(formule):
    assert neutraliser(formule) == "'" + formule


@pytest.mark.parametrize("nombre", [Decimal("-12.50"), -3, -0.5, "-12,50", "+3.5", "-7"])
def test_un_montant_negatif_reste_un_nombre(nombre):
    assert neutraliser(nombre) == nombre


@pytest.mark.parametrize("texte", ["Dupont", "Jean-Pierre", "O'Neil", "", "1 rue de la Paix"])
def test_un_texte_ordinaire_n_est_pas_touche(texte):
    assert neutraliser(texte) == texte


def test_le_fichier_se_relit_avec_les_memes_cellules_neutralisees():
    texte = texte_csv([["nom", "montant"], ["=1+1", Decimal("-4.20")], ["Durand; fils", 3]])

    lignes = list(csv.reader(io.StringIO(texte.removeprefix("\ufeff")), delimiter=";"))

    assert lignes == [["nom", "montant"], ["'=1+1", "-4.20"], ["Durand; fils", "3"]]
    assert texte.startswith("\ufeff")
