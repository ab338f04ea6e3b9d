import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_un_parent_corrige_son_nom_et_son_telephone(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("comptes:profil"), {"first_name": "Inès", "last_name": "Roux", "telephone": "04 67 12 34 56"})

    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.telephone) == ("Inès", "Roux", "0467123456")


def test_un_telephone_invalide_est_explique_et_rien_ne_change(client):
    user = UserFactory(telephone="")
    client.force_login(user)

    response = client.post(reverse("comptes:profil"), {"first_name": "X", "last_name": "Y", "telephone": "12"})

    assert "Saisissez un numéro à 10 chiffres" in response.content.decode()
    assert 'href="#id_telephone"' in response.content.decode()
    user.refresh_from_db()
    assert user.telephone == ""
