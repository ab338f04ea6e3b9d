import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _connexion(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_cinq_echecs_bloquent_le_compte_meme_avec_le_bon_mot_de_passe(client):
    user = UserFactory()
    for _ in range(5):
        _connexion(client, user.email, "mauvais mot de passe")

    response = _connexion(client, user.email, PASSWORD)

    assert response.status_code == 429
    assert "Compte temporairement bloqué" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_quatre_echecs_laissent_le_compte_ouvert(client):
    user = UserFactory()
    for _ in range(4):
        _connexion(client, user.email, "mauvais mot de passe")

    response = _connexion(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_le_blocage_d_un_compte_ne_bloque_pas_les_autres(client):
    victime, autre = UserFactory(), UserFactory()
    for _ in range(5):
        _connexion(client, victime.email, "mauvais mot de passe")

    response = _connexion(client, autre.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(autre.pk)


def test_le_blocage_ignore_la_casse_de_l_adresse(client):
    user = UserFactory(email="claire@exemple.fr")
    for _ in range(5):
        _connexion(client, "CLAIRE@exemple.fr", "mauvais mot de passe")

    assert _connexion(client, "claire@exemple.fr", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.pk
