"""The demo's Maine-et-Loire relais shows every case of issue 15: an AVIP place whose reminder is due, a renewed
one, an open PEPIT parcours with its next contact, a closed one with its outcome; a second run changes nothing."""

import pytest
from django.utils import timezone

from insertion import selectors, tasks
from insertion.models import AttributionAvip, ContactParcours, ParcoursAttentionne
from portail.demo.insertion import seed_insertion

pytestmark = pytest.mark.django_db


def _etat():
    return {
        "places": sorted(AttributionAvip.objects.values_list("demande__reference", "debut", "fin", "renouvellements")),
        "parcours": sorted(ParcoursAttentionne.objects.values_list("demande__reference", "public", "statut", "issue")),
        "contacts": ContactParcours.objects.count(),
    }


def test_la_demo_a_un_relais_du_maine_et_loire_avec_une_creche_avip():
    relais = seed_insertion()

    assert relais.departement.nom == "Maine-et-Loire"
    assert relais.commune_siege.nom == "Angers"
    assert AttributionAvip.objects.values("structure__places_avip").distinct().get()["structure__places_avip"] == 4


def test_la_demo_a_une_place_au_rappel_du_et_une_place_renouvelee():
    seed_insertion()
    aujourd_hui = timezone.localdate()

    assert selectors.attributions_a_rappeler(aujourd_hui).count() == 1
    assert AttributionAvip.objects.filter(renouvellements=1, statut="en_cours").count() == 1
    assert tasks.suivre_places_avip() == {"terminees": 0, "rappels": 1}


def test_la_demo_a_un_parcours_ouvert_avec_un_prochain_contact_et_un_parcours_clos():
    seed_insertion()

    ouvert = ParcoursAttentionne.objects.get(statut="ouvert")
    assert ouvert.public == "p2"
    assert selectors.prochain_contact(ouvert, aujourd_hui=timezone.localdate()) is not None
    clos = ParcoursAttentionne.objects.get(statut="clos")
    assert (clos.public, clos.issue) == ("p1", "mode_accueil")


def test_la_demo_d_insertion_est_idempotente():
    seed_insertion()
    premier = _etat()

    seed_insertion()

    assert _etat() == premier
