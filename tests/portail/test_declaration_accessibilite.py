"""The RGAA accessibility statement: public, linked from every page's footer with the conformity status."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_la_declaration_d_accessibilite_suit_le_modele_du_rgaa(client):
    html = client.get(reverse("portail:accessibilite")).content.decode()

    for rubrique in [
        "État de conformité",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Technologies utilisées",
        "Environnement de test",
        "Retour d'information et contact",
        "Voies de recours",
        "Défenseur des droits",
        "article 47 de la loi n° 2005-102",
    ]:
        assert rubrique in html, rubrique


def test_la_declaration_ne_revendique_pas_d_audit(client):
    html = client.get(reverse("portail:accessibilite")).content.decode()

    # Without a valid audit, RGAA allows no status other than « non conforme ».
    assert "<strong>non conforme</strong>" in html
    assert "Aucun audit RGAA complet n'a encore été réalisé" in html


@pytest.mark.parametrize("connecte", [False, True])
def test_le_pied_de_page_mene_a_la_declaration_avec_l_etat_de_conformite(client, connecte):
    if connecte:
        client.force_login(UserFactory())

    html = client.get(reverse("demandes:criteres")).content.decode()

    assert f'<a href="{reverse("portail:accessibilite")}">Accessibilité : non conforme</a>' in html
