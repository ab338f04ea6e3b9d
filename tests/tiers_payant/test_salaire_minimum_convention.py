"""A convention is prepared with a net hourly wage at or above the childminder's legal minimum, as statements are."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.tiers_payant.conftest import preparer, saisie_du_formulaire
from tiers_payant import services
from tiers_payant.models import Convention

pytestmark = pytest.mark.django_db

MESSAGE = "2,64 € net par heure et par enfant en janvier 2026"


@pytest.mark.parametrize("apercu", [False, True], ids=["enregistrer", "apercu"])
def test_un_salaire_sous_le_minimum_est_refuse_a_cote_du_salaire(client, acteurs, apercu):
    client.force_login(acteurs.animatrice)
    saisie = saisie_du_formulaire(acteurs, salaire_horaire="2,50") | ({"apercu": "1"} if apercu else {})

    response = client.post(reverse("tiers_payant:preparer"), saisie)

    assert response.status_code == 200
    (erreur,) = response.context["form"].errors["salaire_horaire"]
    assert "ne peut pas être inférieur au minimum légal" in erreur
    assert MESSAGE in erreur
    assert not Convention.objects.exists()


def test_le_salaire_minimum_lui_meme_est_accepte(client, acteurs):
    client.force_login(acteurs.animatrice)

    response = client.post(reverse("tiers_payant:preparer"), saisie_du_formulaire(acteurs, salaire_horaire="2,64"))

    assert response.status_code == 302
    assert Convention.objects.get().salaire_horaire == Decimal("2.64")


def test_le_service_refuse_de_preparer_sous_le_minimum(acteurs):
    with pytest.raises(services.SaisieRefusee, match="2,64 € net par heure et par enfant") as refus:
        preparer(acteurs, salaire_horaire=Decimal("2.00"))

    assert refus.value.champ == "salaire_horaire"
    assert not Convention.objects.exists()


def test_modifier_une_convention_sous_le_minimum_est_refuse_et_rien_ne_change(client, acteurs):
    convention = preparer(acteurs)
    client.force_login(acteurs.animatrice)

    response = client.post(
        reverse("tiers_payant:modifier", args=[convention.pk]), saisie_du_formulaire(acteurs, salaire_horaire="1")
    )

    assert MESSAGE in response.context["form"].errors["salaire_horaire"][0]
    convention.refresh_from_db()
    assert convention.salaire_horaire == Decimal("4.85")
