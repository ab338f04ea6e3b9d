import pytest
from django.http import Http404

from relais.permissions import access_relais_for_user, communes_for_user, relais_for_user
from tests.factories import AgentCafFactory, DepartementFactory, MembreRelaisFactory, RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deux_relais():
    return RelaisFactory(nom="RPE Nord"), RelaisFactory(nom="RPE Sud")


def test_une_animatrice_ne_voit_que_son_relais(deux_relais):
    nord, sud = deux_relais
    animatrice = MembreRelaisFactory(relais=nord).user

    assert list(relais_for_user(animatrice)) == [nord]
    with pytest.raises(Http404):
        access_relais_for_user(animatrice, sud.pk)


def test_un_agent_caf_voit_les_relais_de_son_departement_seulement(deux_relais):
    gard = RelaisFactory(departement=DepartementFactory(code="30", nom="Gard"))
    agent = AgentCafFactory(departement=deux_relais[0].departement).user

    assert set(relais_for_user(agent)) == set(deux_relais)
    with pytest.raises(Http404):
        access_relais_for_user(agent, gard.pk)


def test_un_admin_voit_tous_les_relais(deux_relais):
    assert set(relais_for_user(UserFactory(admin=True))) == set(deux_relais)


@pytest.mark.parametrize("trait", [{}, {"assmat": True}])
def test_parents_et_assmats_ne_voient_aucun_relais_par_cette_voie(deux_relais, trait):
    user = UserFactory(**trait)

    assert not relais_for_user(user).exists()
    assert not communes_for_user(user).exists()


def test_les_communes_visibles_sont_celles_du_territoire(deux_relais):
    nord, sud = deux_relais
    animatrice = MembreRelaisFactory(relais=nord).user

    assert list(communes_for_user(animatrice)) == [nord.commune_siege]
