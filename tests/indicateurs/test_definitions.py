"""The definitions the relais and the CAF read are French and cover every indicator."""

import pytest
from django.urls import reverse

from indicateurs.calculs import DEFINITIONS, INDICATEURS
from tests.factories import AgentCafFactory, RelaisFactory

pytestmark = pytest.mark.django_db


def test_chaque_indicateur_a_sa_definition_en_francais_et_sa_docstring():
    assert {indicateur.code for indicateur in INDICATEURS} == set(DEFINITIONS)
    for indicateur in INDICATEURS:
        assert indicateur.fonction.__doc__, indicateur.code
        assert "Definition" not in indicateur.definition, indicateur.code


def test_la_page_d_un_indicateur_montre_sa_definition_en_francais(client):
    relais = RelaisFactory()
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    page = client.get(reverse("indicateurs:detail", args=[relais.pk, "m2a_entretiens"])).content.decode()

    assert "Un assistant maternel qui a signalé deux fois compte une fois." in page
    assert "Definition" not in page
