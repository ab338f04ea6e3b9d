"""Behind the reverse proxy, per-IP limits, the lockout records and the audit trail see the client's address;
an X-Forwarded-For from anyone but a trusted proxy is ignored."""

from ipaddress import ip_network

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditLog
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CLIENT = "203.0.113.7"
PROXY = "10.0.0.2"


@pytest.fixture
def derriere_le_proxy(settings):
    settings.TRUSTED_PROXIES = [ip_network("10.0.0.0/8")]


def _connexion(client, *, depuis: str, transmis: str | None = None) -> AuditLog:
    user = UserFactory()
    headers = {"x-forwarded-for": transmis} if transmis is not None else {}
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        headers=headers,
        REMOTE_ADDR=depuis,
    )
    return AuditLog.objects.get(user=user, action="login")


def test_sans_proxy_de_confiance_un_x_forwarded_for_est_ignore(client):
    assert _connexion(client, depuis="198.51.100.4", transmis=CLIENT).ip == "198.51.100.4"


def test_un_x_forwarded_for_venu_d_ailleurs_que_du_proxy_est_ignore(client, derriere_le_proxy):
    assert _connexion(client, depuis="198.51.100.4", transmis=CLIENT).ip == "198.51.100.4"


def test_derriere_le_proxy_le_journal_note_l_adresse_du_client(client, derriere_le_proxy):
    assert _connexion(client, depuis=PROXY, transmis=CLIENT).ip == CLIENT


def test_une_adresse_inventee_par_le_client_devant_le_proxy_ne_compte_pas(client, derriere_le_proxy):
    # The client sent "X-Forwarded-For: 192.0.2.99"; nginx appended the address it really came from.
    assert _connexion(client, depuis=PROXY, transmis=f"192.0.2.99, {CLIENT}").ip == CLIENT


def test_une_chaine_de_proxies_de_confiance_est_remontee_jusqu_au_client(client, derriere_le_proxy):
    assert _connexion(client, depuis=PROXY, transmis=f"{CLIENT}, 10.0.0.3").ip == CLIENT


def test_un_x_forwarded_for_illisible_laisse_l_adresse_du_proxy(client, derriere_le_proxy):
    assert _connexion(client, depuis=PROXY, transmis="pas une adresse").ip == PROXY


def _limite_recherche(ip: str):
    limites = django_settings.GUICHET_RATE_LIMITS | {"recherche": {"ip": ip, "compte": "100/m"}}
    return override_settings(GUICHET_RATE_LIMITS=limites)


def _recherche(client, *, depuis: str, transmis: str) -> int:
    return client.get(
        reverse("assmats:recherche"), headers={"x-forwarded-for": transmis}, REMOTE_ADDR=depuis
    ).status_code


def test_deux_familles_derriere_le_proxy_ont_chacune_leur_limite(client, derriere_le_proxy):
    with _limite_recherche("2/m"):
        assert [_recherche(client, depuis=PROXY, transmis=CLIENT) for _ in range(3)] == [200, 200, 429]

        assert _recherche(client, depuis=PROXY, transmis="203.0.113.8") == 200


def test_changer_de_x_forwarded_for_n_echappe_pas_a_la_limite_par_ip(client, derriere_le_proxy):
    with _limite_recherche("2/m"):
        statuts = [_recherche(client, depuis="198.51.100.5", transmis=f"192.0.2.{n}") for n in range(3)]

    assert statuts == [200, 200, 429]


def test_le_verrouillage_enregistre_l_adresse_du_client(client, derriere_le_proxy):
    user = UserFactory()

    client.post(
        reverse("account_login"),
        {"login": user.email, "password": "mauvais mot de passe"},
        headers={"x-forwarded-for": CLIENT},
        REMOTE_ADDR=PROXY,
    )

    assert AccessAttempt.objects.get(username=user.email).ip_address == CLIENT
