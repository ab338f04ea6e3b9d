"""Rate limits: the attempt over the limit gets a French 429 page, never a 403 or a 500."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Trop de tentatives"


def _allauth(**limites):
    return override_settings(ACCOUNT_RATE_LIMITS=settings.ACCOUNT_RATE_LIMITS | limites)


def _guichet(nom, ip="100/m", compte="100/m"):
    return override_settings(GUICHET_RATE_LIMITS=settings.GUICHET_RATE_LIMITS | {nom: {"ip": ip, "compte": compte}})


def _est_limite(response):
    return response.status_code == 429 and MESSAGE in response.content.decode()


def test_l_inscription_est_limitee_par_ip(client):
    with _allauth(signup="2/m/ip"):
        for numero in range(2):
            client.post(reverse("account_signup"), {"email": f"x{numero}@example.fr"})

        assert _est_limite(client.post(reverse("account_signup"), {"email": "x3@example.fr"}))


def test_la_connexion_est_limitee_par_ip(client):
    user = UserFactory()
    with _allauth(login="2/m/ip"):
        for _ in range(2):
            client.post(reverse("account_login"), {"login": f"inconnu{_}@example.fr", "password": "mauvais"})

        response = client.post(reverse("account_login"), {"login": user.email, "password": "mauvais"})

    assert _est_limite(response)


def test_la_reinitialisation_du_mot_de_passe_est_limitee_par_adresse(client):
    user = UserFactory()
    with _allauth(reset_password="100/m/ip,2/m/key"):
        for _ in range(2):
            assert client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302

        assert _est_limite(client.post(reverse("account_reset_password"), {"email": user.email}))
        # Another address from the same IP is not blocked.
        assert client.post(reverse("account_reset_password"), {"email": "autre@example.fr"}).status_code == 302


def test_la_reinitialisation_du_mot_de_passe_est_limitee_par_ip_quelle_que_soit_l_adresse(client):
    with _allauth(reset_password="2/m/ip,100/m/key"):
        for numero in range(2):
            client.post(reverse("account_reset_password"), {"email": f"x{numero}@example.fr"})

        assert _est_limite(client.post(reverse("account_reset_password"), {"email": "x3@example.fr"}))


def test_les_limites_par_defaut_couvrent_inscription_connexion_et_reinitialisation():
    # The limits the tests above lower are switched on in the settings, per IP and per typed address.
    limites = settings.ACCOUNT_RATE_LIMITS
    assert limites["signup"].endswith("/ip")
    assert limites["login"].endswith("/ip")
    assert {partie.rsplit("/", 1)[1] for partie in limites["reset_password"].split(",")} == {"ip", "key"}
    assert settings.GUICHET_RATE_LIMITS["demande"].keys() == {"ip", "compte"}


def test_la_recherche_publique_est_limitee_par_ip(client):
    with _guichet("recherche", ip="2/m"):
        for _ in range(2):
            assert client.get(reverse("assmats:recherche")).status_code == 200

        assert _est_limite(client.get(reverse("assmats:recherche")))


def test_le_formulaire_de_demande_est_limite_par_compte_sans_bloquer_les_autres_parents(client):
    parent, voisin = UserFactory(), UserFactory()
    url = reverse("demandes:etape", args=["famille"])
    with _guichet("demande", compte="2/m"):
        client.force_login(parent)
        for _ in range(2):
            assert client.post(url, {}).status_code == 200  # the form with its errors
        # Reading the form is not counted, posting it is.
        assert client.get(url).status_code == 200

        assert _est_limite(client.post(url, {}))

        client.force_login(voisin)
        assert client.post(url, {}).status_code == 200


def test_le_formulaire_de_demande_est_limite_par_ip(client):
    url = reverse("demandes:etape", args=["famille"])
    with _guichet("demande", ip="2/m"):
        for _ in range(2):
            client.force_login(UserFactory())
            assert client.post(url, {}).status_code == 200

        client.force_login(UserFactory())
        assert _est_limite(client.post(url, {}))


def test_sans_redis_la_recherche_repond_sans_compter(client, settings, caplog):
    # The rate limits count in Redis: stopped, the form answers rather than failing.
    settings.CACHES = {"default": {"BACKEND": "comptes.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}

    response = client.get(reverse("assmats:recherche"))

    assert response.status_code == 200
    assert "Trouver un·e assistant·e maternel·le" in response.content.decode()
    assert "Redis unavailable, cache add not done" in caplog.text
