import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from comptes.models import Role, User
from portail.demo import COMPTES_DEMO, DEMO_PASSWORD
from portail.demo.socle import seed_socle_large
from relais.models import CommuneDuTerritoire, MembreRelais, Relais

pytestmark = pytest.mark.django_db


def _etat():
    return {
        "users": sorted(User.objects.values_list("email", "role", "first_name", "last_name")),
        "relais": sorted(Relais.objects.values_list("nom", "commune_siege__code_insee")),
        "territoire": sorted(CommuneDuTerritoire.objects.values_list("relais__nom", "commune__code_insee")),
        "membres": sorted(MembreRelais.objects.values_list("relais__nom", "user__email")),
    }


def test_la_demo_est_idempotente_et_deterministe():
    call_command("seed_demo")
    premier = _etat()

    call_command("seed_demo")

    assert _etat() == premier
    assert len(premier["relais"]) == 3


def test_chaque_compte_de_demo_se_connecte(client):
    call_command("seed_demo")

    for role, email in COMPTES_DEMO:
        user = User.objects.get(email=email)
        assert user.role == Role(role)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user).verified
        client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()


def test_les_relais_de_demo_sont_sur_de_vraies_communes_et_ont_une_equipe():
    call_command("seed_demo")

    for relais in Relais.objects.order_by("nom"):
        assert relais.communes.count() >= 5
        assert relais.membres.count() == 2
    assert Relais.objects.get(nom="RPE Montpellier Nord").commune_siege.nom == "Montpellier"


def test_la_demo_a_grande_echelle_est_idempotente():
    seed_socle_large(assmats=30, relais_total=6)
    premier = _etat()

    seed_socle_large(assmats=30, relais_total=6)

    assert _etat() == premier
    assert len(premier["relais"]) == 6
    assert User.objects.filter(role=Role.ASSMAT).count() == 24 + 30
