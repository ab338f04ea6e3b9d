"""With Redis stopped, the pages that count attempts in Django's cache (allauth's login and password reset,
our forms) still answer: the counts are not kept, the person is not turned away with an error page."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REDIS_ARRETE = {"default": {"BACKEND": "comptes.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.fixture
def redis_arrete(settings):
    settings.CACHES = REDIS_ARRETE


def test_sans_redis_on_se_connecte(client, redis_arrete):
    user = UserFactory()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sans_redis_un_mauvais_mot_de_passe_est_refuse_en_francais(client, redis_arrete):
    user = UserFactory()

    response = client.post(reverse("account_login"), {"login": user.email, "password": "mauvais"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()


def test_sans_redis_on_demande_un_nouveau_mot_de_passe(client, redis_arrete):
    user = UserFactory()

    response = client.post(reverse("account_reset_password"), {"email": user.email})

    assert response.status_code == 302
