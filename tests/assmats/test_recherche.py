"""Public search: only consenting childminders with a valid agrément and a fresh declaration."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assmats.models import DisponibiliteStructure, ParametresOffre
from relais.models import Epci
from tests.assmats.factories import (
    AccueilFactory,
    AgrementFactory,
    AssistantMaternelFactory,
    DisponibiliteFactory,
    StructureFactory,
    assmat_complete,
)
from tests.factories import CommuneFactory, RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return RelaisFactory(commune_siege__nom="Clapiers").commune_siege


def _chercher(client, commune, **params):
    return client.get(reverse("assmats:recherche"), {"commune": commune.pk, **params}).content.decode()


def test_une_assmat_affichee_apparait_avec_son_prenom_et_l_initiale_de_son_nom(client, commune):
    assmat_complete(prenom="Sylvie", nom="Durand", commune=commune, telephone="0467000001")

    html = _chercher(client, commune)

    assert "Sylvie D." in html
    assert "Durand" not in html
    assert "0467000001" not in html
    assert "1 résultat" in html


def test_le_telephone_n_apparait_qu_avec_le_consentement(client, commune):
    assmat_complete(commune=commune, telephone="0467000002", afficher_telephone=True)

    assert "0467000002" in _chercher(client, commune)


def test_sans_consentement_a_l_affichage_rien_n_apparait(client, commune):
    assmat = assmat_complete(prenom="Nadia", commune=commune)
    assmat.afficher_disponibilites = False
    assmat.save()

    assert "Nadia" not in _chercher(client, commune)


def test_une_declaration_non_confirmee_depuis_3_mois_n_est_plus_affichee(client, commune):
    assmat = assmat_complete(prenom="Karine", commune=commune)
    assmat.disponibilite.confirmee_le = timezone.now() - timedelta(days=95)
    assmat.disponibilite.save()

    assert "Karine" not in _chercher(client, commune)


def test_le_delai_de_peremption_est_configurable(client, commune):
    ParametresOffre.objects.update_or_create(pk=1, defaults={"mois_avant_peremption": 6})
    assmat = assmat_complete(prenom="Karine", commune=commune)
    assmat.disponibilite.confirmee_le = timezone.now() - timedelta(days=95)
    assmat.disponibilite.save()

    assert "Karine" in _chercher(client, commune)


def test_un_agrement_expire_cache_l_assmat(client, commune):
    assmat = AssistantMaternelFactory(prenom="Odile", commune=commune, affichee=True)
    AgrementFactory(assistant_maternel=assmat, expire=True)
    DisponibiliteFactory(assistant_maternel=assmat)

    assert "Odile" not in _chercher(client, commune)


def test_une_assmat_complete_n_apparait_pas(client, commune):
    assmat = assmat_complete(prenom="Fanny", commune=commune)
    AccueilFactory.create_batch(
        4, assistant_maternel=assmat, date_naissance=timezone.localdate() - timedelta(days=2000)
    )

    assert "Fanny" not in _chercher(client, commune)


def test_les_places_affichees_ne_depassent_jamais_les_places_derivees(client, commune):
    assmat = assmat_complete(prenom="Rose", commune=commune)
    assmat.disponibilite.places_moins_3_ans = 3
    assmat.disponibilite.save()
    AccueilFactory.create_batch(2, assistant_maternel=assmat)

    html = _chercher(client, commune, tranche="moins_3")

    assert "Places libres : 1 pour un enfant de moins de 3 ans" in html


def test_la_recherche_par_age_filtre_les_places_de_moins_de_3_ans(client, commune):
    assmat = assmat_complete(prenom="Lou", commune=commune)
    assmat.disponibilite.places_moins_3_ans = 0
    assmat.disponibilite.save()

    assert "Lou" not in _chercher(client, commune, tranche="moins_3")
    assert "Lou" in _chercher(client, commune, tranche="plus_3")


def test_les_horaires_atypiques_filtrent(client, commune):
    assmat_complete(prenom="Lina", commune=commune)

    assert "Lina" not in _chercher(client, commune, atypiques="samedi")


def test_les_communes_voisines_par_distance(client, commune):
    commune.latitude, commune.longitude = 43.6578, 3.8889
    commune.save()
    voisine = CommuneFactory(nom="Jacou", latitude=43.6611, longitude=3.9125)
    lointaine = CommuneFactory(nom="Béziers", latitude=43.3442, longitude=3.2158)
    assmat_complete(prenom="Voisine", commune=voisine)
    assmat_complete(prenom="Lointaine", commune=lointaine)

    html = _chercher(client, commune, voisines="on")

    assert "Voisine" in html
    assert "Lointaine" not in html
    assert "Voisine" not in _chercher(client, commune)


def test_sans_coordonnees_les_voisines_sont_celles_de_l_epci(client, commune):
    epci = Epci.objects.create(code="243400017", nom="Montpellier Méditerranée Métropole")
    commune.epci = epci
    commune.save()
    assmat_complete(prenom="Metropole", commune=CommuneFactory(epci=epci))
    assmat_complete(prenom="Ailleurs", commune=CommuneFactory())

    html = _chercher(client, commune, voisines="on")

    assert "Metropole" in html
    assert "Ailleurs" not in html


def test_une_commune_inconnue_donne_un_message_clair(client):
    response = client.get(reverse("assmats:recherche"), {"commune": "999999"})

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_une_date_absurde_donne_un_message_clair(client, commune):
    html = _chercher(client, commune, debut="1900-01-01")

    assert "Choisissez une date entre aujourd" in html


def test_la_recherche_pagine_par_20(client, commune):
    for numero in range(25):
        assmat_complete(prenom=f"Assmat{numero:02d}", commune=commune)

    premiere = _chercher(client, commune)
    seconde = _chercher(client, commune, page=2)

    assert premiere.count('<h3 class="h5 mb-1">') == 20
    assert seconde.count('<h3 class="h5 mb-1">') == 5


@pytest.mark.parametrize("nombre", [1, 15])
def test_la_recherche_fait_un_nombre_de_requetes_constant(client, commune, django_assert_num_queries, nombre):
    for _ in range(nombre):
        assmat_complete(commune=commune)

    # commune chosen, parameters, count, page of results, structures, communes of the form's list
    with django_assert_num_queries(6):
        _chercher(client, commune)


def test_une_creche_avec_des_places_libres_apparait_a_cote_des_assmats(client, commune):
    structure = StructureFactory(nom="Crèche Les Lucioles", commune=commune)
    DisponibiliteStructure.objects.create(
        structure=structure,
        a_partir_du=timezone.localdate() - timedelta(days=3),
        places_moins_3_ans=2,
        places_plus_3_ans=0,
        declaree_par=UserFactory(animateur=True),
    )
    StructureFactory(nom="Crèche Complète", commune=commune)

    html = _chercher(client, commune, tranche="moins_3")

    assert "Crèche Les Lucioles" in html
    assert "2 pour un enfant de moins de 3 ans" in html
    assert "Crèche Complète" not in html
    assert "Crèche Les Lucioles" not in _chercher(client, commune, tranche="plus_3")
