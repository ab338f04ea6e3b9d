import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from assmats.models import Accueil, AssistantMaternel, Disponibilite, SignalementSousActivite, Structure
from assmats.selectors import disponibilites_affichees
from comptes.models import Role, User
from portail.demo import COMPTES_DEMO, DEMO_PASSWORD
from portail.demo.offre import seed_offre_large
from portail.demo.socle import seed_socle_large
from relais.models import CommuneDuTerritoire, MembreRelais, Relais

pytestmark = pytest.mark.django_db


def _etat():
    return {
        "users": sorted(User.objects.values_list("email", "role", "first_name", "last_name")),
        "relais": sorted(Relais.objects.values_list("nom", "commune_siege__code_insee")),
        "territoire": sorted(CommuneDuTerritoire.objects.values_list("relais__nom", "commune__code_insee")),
        "membres": sorted(MembreRelais.objects.values_list("relais__nom", "user__email")),
        "assmats": sorted(AssistantMaternel.objects.values_list("email", "agrement__numero", "commune__code_insee")),
        "accueils": Accueil.objects.count(),
        "disponibilites": sorted(Disponibilite.objects.values_list("assistant_maternel__email", "places_plus_3_ans")),
        "structures": sorted(Structure.objects.values_list("nom", "places_insertion")),
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
    seed_offre_large()
    premier = _etat()

    seed_socle_large(assmats=30, relais_total=6)
    seed_offre_large()

    assert _etat() == premier
    assert len(premier["relais"]) == 6
    assert User.objects.filter(role=Role.ASSMAT).count() == 24 + 30
    assert AssistantMaternel.objects.count() == 24 + 30


def test_la_demo_montre_des_disponibilites_en_ligne_et_des_sous_activites():
    call_command("seed_demo")

    assert disponibilites_affichees().exists()
    assert SignalementSousActivite.objects.filter(entretiens__isnull=True).exists()
    assert AssistantMaternel.objects.get(email="assmat@demo.guichet-rpe.fr").agrement
