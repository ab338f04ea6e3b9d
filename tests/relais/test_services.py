import pytest
from django.db import IntegrityError

from relais.models import CommuneDuTerritoire
from relais.services import AffectationInvalide, ajouter_membre, definir_territoire, rattacher_agent_caf
from tests.factories import CommuneFactory, DepartementFactory, RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_definir_le_territoire_remplace_les_communes():
    relais = RelaisFactory()
    a, b = CommuneFactory(), CommuneFactory()

    definir_territoire(relais=relais, communes=[a, b])

    assert set(relais.communes.all()) == {a, b}


def test_une_commune_deja_desservie_par_un_autre_relais_est_refusee():
    autre = RelaisFactory()
    relais = RelaisFactory()

    with pytest.raises(AffectationInvalide, match=autre.commune_siege.nom):
        definir_territoire(relais=relais, communes=[autre.commune_siege])
    assert list(relais.communes.all()) == [relais.commune_siege]


def test_la_base_refuse_une_commune_dans_deux_territoires():
    autre = RelaisFactory()
    with pytest.raises(IntegrityError):
        CommuneDuTerritoire.objects.create(relais=RelaisFactory(), commune=autre.commune_siege)


def test_seul_un_compte_animateur_rejoint_l_equipe_d_un_relais():
    with pytest.raises(AffectationInvalide):
        ajouter_membre(relais=RelaisFactory(), user=UserFactory())


def test_seul_un_agent_caf_est_rattache_a_un_departement():
    with pytest.raises(AffectationInvalide):
        rattacher_agent_caf(departement=DepartementFactory(), user=UserFactory(animateur=True))
