"""What the browser and the person know of each field before typing: its purpose (autocomplete, keyboard) and
what « * » means."""

import re

import pytest
from django.urls import reverse

from tests.demandes.test_formulaire import _remplir, etapes_valides

pytestmark = pytest.mark.django_db

OBLIGATOIRES = "Les champs marqués d'un astérisque (*) sont obligatoires."


def _balise(page: str, nom: str) -> str:
    return re.search(rf'<input[^>]*name="{nom}"[^>]*>', page).group(0)


def test_le_telephone_et_le_code_postal_de_la_famille_se_remplissent_seuls_au_bon_clavier(client, parent):
    client.force_login(parent)
    page = client.get(reverse("demandes:etape", args=["famille"])).content.decode()

    telephone, code_postal = _balise(page, "telephone"), _balise(page, "code_postal")
    assert 'type="tel"' in telephone
    assert 'autocomplete="tel"' in telephone
    assert 'inputmode="tel"' in telephone
    assert 'autocomplete="postal-code"' in code_postal
    assert 'inputmode="numeric"' in code_postal
    # The second parent is someone else: the browser must not offer the parent's own identity.
    assert 'autocomplete="off"' in _balise(page, "second_responsable_prenom")
    assert 'autocomplete="off"' in _balise(page, "second_responsable_email")


def test_l_inscription_propose_prenom_et_nom_du_parent(client):
    page = client.get(reverse("account_signup")).content.decode()

    assert 'autocomplete="given-name"' in _balise(page, "first_name")
    assert 'autocomplete="family-name"' in _balise(page, "last_name")


@pytest.mark.parametrize("etape", ["famille", "enfant", "besoin", "situation"])
def test_chaque_etape_dit_une_fois_ce_que_veut_dire_l_asterisque(client, parent, relais, etape):
    client.force_login(parent)
    etapes = etapes_valides(relais.commune_siege)
    precedentes = dict(list(etapes.items())[: list(etapes).index(etape)])
    if precedentes:
        _remplir(client, precedentes)

    page = client.get(reverse("demandes:etape", args=[etape])).content.decode()

    assert page.count(OBLIGATOIRES) == 1
    assert page.index(OBLIGATOIRES) < page.index("asteriskField")


def test_un_formulaire_crispy_d_une_autre_application_le_dit_aussi(client):
    page = client.get(reverse("account_signup")).content.decode()

    assert page.count(OBLIGATOIRES) == 1
