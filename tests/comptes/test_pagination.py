"""A long list's page read in one query gives the page and the links Django's Paginator gives."""

import pytest
from django.core.paginator import Paginator

from comptes.pagination import page_en_une_requete
from relais.models import Commune
from tests.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    departement = DepartementFactory()
    CommuneFactory.create_batch(45, departement=departement)
    return Commune.objects.filter(departement=departement).order_by("pk")


def _comme_django(page, communes, numero):
    attendue = Paginator(communes, 20).get_page(numero)
    assert [c.pk for c in page] == [c.pk for c in attendue]
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        attendue.number,
        attendue.paginator.count,
        attendue.paginator.num_pages,
    )
    assert (page.has_next(), page.has_previous(), page.start_index()) == (
        attendue.has_next(),
        attendue.has_previous(),
        attendue.start_index(),
    )


def test_une_page_et_son_total_se_lisent_en_une_seule_requete(communes, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_en_une_requete(communes, "2", 20)
        lues = list(page)

    assert len(lues) == 20
    _comme_django(page, communes, "2")


def test_la_derniere_page_incomplete_a_le_reste(communes):
    page = page_en_une_requete(communes, 3, 20)

    assert len(page) == 5
    _comme_django(page, communes, 3)


@pytest.mark.parametrize("numero", [None, "", "deux", "1.5"])
def test_un_numero_illisible_donne_la_premiere_page(communes, numero):
    page = page_en_une_requete(communes, numero, 20)

    assert page.number == 1
    _comme_django(page, communes, numero)


@pytest.mark.parametrize("numero", ["4", "999", "0", "-1"])
def test_un_numero_hors_de_la_liste_donne_la_derniere_page(communes, numero):
    page = page_en_une_requete(communes, numero, 20)

    assert page.number == 3
    _comme_django(page, communes, numero)


def test_une_liste_vide_a_une_premiere_page_vide_en_une_requete(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_en_une_requete(Commune.objects.filter(pk=-1).order_by("pk"), 1, 20)

    assert list(page) == []
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (1, 0, 1)


def test_les_lignes_lues_comme_valeurs_portent_aussi_le_total(communes):
    page = page_en_une_requete(communes.values("pk", "nom"), 2, 20)

    assert [ligne["pk"] for ligne in page] == [c.pk for c in Paginator(communes, 20).page(2)]
    assert page.paginator.count == 45


def test_une_liste_distincte_est_comptee_apres_le_retrait_des_doublons(communes):
    # Each commune of the département appears once per commune joined: DISTINCT removes the duplicates.
    doublees = Commune.objects.filter(departement__communes__in=communes).distinct().order_by("pk")

    page = page_en_une_requete(doublees, 1, 20)

    assert page.paginator.count == 45
