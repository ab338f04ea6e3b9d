"""The needs report: wishes counted by theme × commune × preferred days, its CSV for training bodies."""

import csv
import io

import pytest
from django.urls import reverse

from formation import selectors
from tests.assmats.factories import AssistantMaternelFactory
from tests.factories import CommuneFactory, MembreRelaisFactory, RelaisFactory
from tests.formation.factories import SouhaitFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def relais():
    return RelaisFactory(
        communes=[CommuneFactory(nom="Clapiers", code_insee="34077"), CommuneFactory(nom="Jacou", code_insee="34120")]
    )


@pytest.fixture
def souhaits(relais):
    """Five childminders of the territory, one outside; hand-counted below."""
    clapiers, jacou = relais.communes.order_by("nom")
    secours, handicap = ThemeFactory(), ThemeFactory(handicap=True)
    a, b, c = (AssistantMaternelFactory(commune=clapiers) for _ in range(3))
    d, e = (AssistantMaternelFactory(commune=jacou) for _ in range(2))
    SouhaitFactory(assistant_maternel=a, theme=secours)
    SouhaitFactory(assistant_maternel=b, theme=secours)
    SouhaitFactory(assistant_maternel=c, theme=secours, samedi=True)
    SouhaitFactory(assistant_maternel=d, theme=secours, commune=clapiers)  # she prefers to train in Clapiers
    SouhaitFactory(assistant_maternel=e, theme=secours)
    SouhaitFactory(assistant_maternel=a, theme=handicap, samedi=True)
    SouhaitFactory(assistant_maternel=e, theme=handicap, retire=True)  # withdrawn: not a need any more
    SouhaitFactory(theme=secours)  # a childminder of another territory
    return secours, handicap


ATTENDU = [
    # theme, commune, days, wishes, childminders
    ("Premiers secours (SST, PSC1)", "Clapiers", "en semaine", 3, 3),
    ("Premiers secours (SST, PSC1)", "Clapiers", "le samedi", 1, 1),
    ("Premiers secours (SST, PSC1)", "Jacou", "en semaine", 1, 1),
    ("Accueil d'un enfant en situation de handicap", "Clapiers", "le samedi", 1, 1),
]


def test_les_souhaits_sont_agreges_par_theme_commune_et_jours(relais, souhaits):
    lignes = selectors.besoins_agreges(relais)

    obtenu = [
        (ligne["theme__libelle"], ligne["commune__nom"], ligne["jours_libelle"], ligne["souhaits"], ligne["assmats"])
        for ligne in lignes
    ]
    assert obtenu == ATTENDU


def test_l_agregation_se_fait_en_une_requete(relais, souhaits, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.besoins_agreges(relais)


def test_le_graphique_par_theme_trie_les_themes_du_plus_demande_au_moins_demande(relais, souhaits):
    assert [(t["theme__libelle"], t["souhaits"]) for t in selectors.besoins_par_theme(relais)] == [
        ("Premiers secours (SST, PSC1)", 5),
        ("Accueil d'un enfant en situation de handicap", 1),
    ]


def test_la_page_des_besoins_montre_le_tableau_et_un_graphique_accessible(client, relais, souhaits):
    client.force_login(MembreRelaisFactory(relais=relais).user)

    html = client.get(reverse("formation:besoins")).content.decode()

    assert 'role="img"' in html
    assert '<title id="graphique-titre">' in html
    # The figure is written on the bar, not only conveyed by its length or colour.
    assert "Premiers secours (SST, PSC1) : 5." in html
    assert "<caption>Souhaits par thème, commune et jours préférés</caption>" in html


def test_l_export_csv_s_ouvre_dans_excel_et_reprend_le_tableau(client, relais, souhaits):
    client.force_login(MembreRelaisFactory(relais=relais).user)

    reponse = client.get(reverse("formation:besoins_csv"), {"relais": relais.pk})

    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"].startswith('attachment; filename="besoins-formation-relais-')
    contenu = reponse.content.decode("utf-8")
    assert contenu.startswith("\ufeff")
    lignes = list(csv.reader(io.StringIO(contenu.removeprefix("\ufeff")), delimiter=";"))
    assert lignes[0] == ["Thème", "Commune", "Code INSEE", "Jours préférés", "Souhaits", "Assistants maternels"]
    assert lignes[1:] == [
        [theme, commune, {"Clapiers": "34077", "Jacou": "34120"}[commune], jours, str(n), str(m)]
        for theme, commune, jours, n, m in ATTENDU
    ]


def test_une_animatrice_ne_peut_pas_exporter_les_besoins_d_un_autre_relais(client, relais, souhaits):
    client.force_login(MembreRelaisFactory().user)

    assert client.get(reverse("formation:besoins_csv"), {"relais": relais.pk}).status_code == 404
