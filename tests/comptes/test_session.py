"""Staff sessions end after 30 minutes idle; other roles keep a session ended when the browser closes."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _connexion(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("role", ["animateur", "agent_caf", "admin"])
def test_la_session_d_un_membre_du_personnel_expire_apres_30_minutes_d_inactivite(client, role):
    user = UserFactory(**{role: True})
    with time_machine.travel(timezone.now(), tick=False) as voyage:
        response = _connexion(client, user)
        assert response.cookies["sessionid"]["max-age"] == 1800

        voyage.shift(timedelta(minutes=29))
        assert client.get(reverse("comptes:profil")).status_code == 200
        # Each request restarts the clock: 29 more minutes are still within 30 minutes idle.
        voyage.shift(timedelta(minutes=29))
        assert client.get(reverse("comptes:profil")).status_code == 200

        voyage.shift(timedelta(minutes=31))
        response = client.get(reverse("comptes:profil"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["parent", "assmat"])
def test_la_session_d_une_famille_ou_d_une_assmat_finit_a_la_fermeture_du_navigateur(client, role):
    user = UserFactory(**({role: True} if role != "parent" else {}))

    response = _connexion(client, user)

    assert not response.cookies["sessionid"]["max-age"]
    assert client.session.get_expire_at_browser_close()


def test_la_session_du_personnel_n_est_reecrite_qu_une_fois_par_minute(client, django_assert_num_queries):
    client.force_login(UserFactory(animateur=True))
    client.get(reverse("comptes:profil"))

    # session, user: no session write for a page seen less than a minute after the previous one.
    with django_assert_num_queries(2):
        client.get(reverse("comptes:profil"))
