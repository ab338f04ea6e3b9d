"""Staff need a second factor (TOTP): without one, every page sends them to set it up."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_mfa_exigee")]


@pytest.fixture
def _mfa_exigee():
    with override_settings(STAFF_MFA_REQUIRED=True):
        yield


def _avec_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.mark.parametrize("role", ["animateur", "agent_caf", "partenaire", "admin"])
def test_un_membre_du_personnel_sans_totp_est_envoye_l_activer(client, role):
    client.force_login(UserFactory(**{role: True}))

    response = client.get(reverse("portail:espace"), follow=False)

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_le_message_explique_pourquoi_en_francais(client):
    client.force_login(UserFactory(animateur=True))

    response = client.get(reverse("comptes:profil"), follow=True)

    assert "activez d&#x27;abord la double authentification" in response.content.decode()


def test_avec_totp_le_personnel_accede_a_ses_pages(client):
    client.force_login(_avec_totp(UserFactory(agent_caf=True)))

    assert client.get(reverse("comptes:profil")).status_code == 200


def test_sans_totp_le_personnel_peut_encore_se_deconnecter(client):
    client.force_login(UserFactory(admin=True))

    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ["parent", "assmat"])
def test_les_familles_et_les_assmats_n_y_sont_pas_obligees(client, role):
    client.force_login(UserFactory(**({role: True} if role != "parent" else {})))

    assert client.get(reverse("comptes:profil")).status_code == 200


def test_avec_totp_la_connexion_demande_le_code(client):
    animatrice = _avec_totp(UserFactory(animateur=True))

    response = client.post(reverse("account_login"), {"login": animatrice.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
