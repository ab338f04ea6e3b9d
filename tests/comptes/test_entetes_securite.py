"""Security headers on every page: CSP, referrer, frames, and no caching of personal pages."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_la_csp_n_autorise_ni_script_inline_ni_eval(client):
    response = client.get(reverse("portail:accueil"))

    policy = dict(
        directive.strip().split(" ", 1) for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_htmx_n_injecte_pas_de_style_et_n_evalue_rien(client):
    content = client.get(reverse("portail:accueil")).content.decode()

    assert '"includeIndicatorStyles":false' in content
    assert '"allowEval":false' in content
    assert "<script>" not in content


def test_referrer_et_cadres(client):
    response = client.get(reverse("portail:accueil"))

    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_une_page_publique_anonyme_peut_etre_mise_en_cache(client):
    response = client.get(reverse("portail:accueil"))

    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("role", ["parent", "assmat", "animateur", "agent_caf", "admin"])
def test_aucune_page_vue_connecte_n_est_gardee_en_cache(client, role):
    user = UserFactory(**({role: True} if role != "parent" else {}))
    client.force_login(user)

    for url in (reverse("portail:accueil"), reverse("comptes:profil"), reverse("portail:espace")):
        response = client.get(url)
        assert "no-store" in response.headers["Cache-Control"], url
        assert "private" in response.headers["Cache-Control"], url
