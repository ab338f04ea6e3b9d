"""The unmet needs chart, read from its SVG as a browser would draw it: every commune, names never cut, nothing
over the legend, the same numbers as the table."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.demandes.factories import DemandeFactory
from tests.factories import CommuneFactory, MembreRelaisFactory, RelaisFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
LONGUE = "Saint-Christol-lès-Alès-sur-Gardon-et-Environs"
# A generous average advance of a 13 px sans-serif character: a text longer than this estimate could overflow.
AVANCE_PAR_CARACTERE = 0.62 * 13


@pytest.fixture
def page(client):
    communes = [CommuneFactory(nom=nom) for nom in ("Clapiers", "Jacou", LONGUE, "Prades-le-Lez")]
    relais = RelaisFactory(commune_siege=communes[0], communes=communes)
    debut = timezone.localdate() + timedelta(days=30)
    # One row per commune, of 5 or more: published as they are, so chart and table compare figure by figure.
    for commune, nombre in zip(communes, (5, 7, 6, 9), strict=True):
        for _ in range(nombre):
            DemandeFactory(
                relais=relais,
                commune=commune,
                sans_solution=True,
                enfant_date=debut - timedelta(days=300),
                date_debut_souhaitee=debut,
            )
    client.force_login(MembreRelaisFactory(relais=relais).user)
    return client.get(reverse("demandes:besoins_non_satisfaits")).content.decode()


def _svg(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*?</svg>", html, re.DOTALL).group(0))  # noqa: S314 - our own page


def _texte(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _chart(html: str) -> dict[str, int]:
    """Commune → unmet requests, as the chart writes them."""
    resultat = {}
    for groupe in _svg(html).iter(f"{SVG}g"):
        textes = [_texte(t) for t in groupe.findall(f"{SVG}text")]
        if len(textes) == 3:
            resultat[textes[0]] = int(textes[1].removesuffix(" sans solution"))
    return resultat


def _table(html: str) -> tuple[dict[str, int], str]:
    """Commune → unmet requests summed over the table's rows, and the table's total."""
    corps = re.search(r"<tbody>(.*?)</tbody>", html, re.DOTALL).group(1)
    par_commune: dict[str, int] = {}
    for ligne in re.findall(r"<tr>(.*?)</tr>", corps, re.DOTALL):
        cellules = re.findall(r"<td>(.*?)</td>", ligne)
        par_commune[cellules[0]] = par_commune.get(cellules[0], 0) + int(cellules[3])
    total = re.findall(r"<td>(.*?)</td>", re.search(r"<tfoot>(.*?)</tfoot>", html, re.DOTALL).group(1))[0]
    return par_commune, total


def test_le_graphique_montre_chaque_commune_avec_les_nombres_du_tableau(page):
    par_commune, _ = _table(page)

    assert _chart(page) == par_commune
    assert set(par_commune) == {"Clapiers", "Jacou", LONGUE, "Prades-le-Lez"}


def test_le_total_du_graphique_est_celui_du_tableau(page):
    _, total = _table(page)
    ecrit = next(_texte(t) for t in _svg(page).iter(f"{SVG}text") if _texte(t).startswith("Total"))

    assert total == "27"
    assert ecrit.startswith(f"Total : {total} sans solution")


def test_aucun_texte_ne_deborde_du_graphique_ni_n_est_coupe(page):
    svg = _svg(page)
    largeur = int(svg.get("width"))

    for texte in svg.iter(f"{SVG}text"):
        morceaux = texte.findall(f"{SVG}tspan") or [texte]
        for morceau in morceaux:
            x = float(morceau.get("x") or texte.get("x"))
            assert x + len(_texte(morceau)) * AVANCE_PAR_CARACTERE <= largeur, _texte(morceau)


def test_le_nom_long_tient_dans_sa_colonne_sans_toucher_les_barres(page):
    svg = _svg(page)
    debut_barres = min(float(r.get("x")) for r in svg.iter(f"{SVG}rect") if float(r.get("x")) > 0)

    for groupe in svg.iter(f"{SVG}g"):
        for morceau in groupe.iter(f"{SVG}tspan"):
            assert len(morceau.text) * AVANCE_PAR_CARACTERE < debut_barres, morceau.text


def test_les_barres_commencent_sous_la_legende_et_tiennent_dans_la_hauteur(page):
    svg = _svg(page)
    hauteur = int(svg.get("height"))
    lignes = [g for g in svg.iter(f"{SVG}g") if g.get("transform")]
    ordonnees = [float(re.search(r"translate\(0 (\d+)\)", g.get("transform")).group(1)) for g in lignes]

    assert len(lignes) == 4
    assert min(ordonnees) >= 30  # the legend band is 0–20
    assert max(ordonnees) + 40 <= hauteur
    assert ordonnees == sorted(ordonnees)
    assert all(b - a >= 40 for a, b in zip(ordonnees, ordonnees[1:], strict=False))


def test_la_case_annee_est_remplie_a_la_premiere_visite(page):
    assert f'value="{timezone.localdate().year}"' in page
