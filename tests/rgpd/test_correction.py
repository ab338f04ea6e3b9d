"""A person corrects their identity and contact details (GDPR art. 16); bad input changes nothing."""

import pytest
from django.urls import reverse

from tests.demandes.factories import DemandeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent(client):
    user = UserFactory(first_name="Aurelie", last_name="Martin", telephone="0612345678")
    client.force_login(user)
    return user


def test_une_correction_valide_est_enregistree(client, parent):
    reponse = client.post(
        reverse("rgpd:corriger"), {"first_name": "Aurélie", "last_name": "Martin-Roux", "telephone": "04 67 11 22 33"}
    )

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("rgpd:mes_donnees")
    parent.refresh_from_db()
    assert (parent.first_name, parent.last_name, parent.telephone) == ("Aurélie", "Martin-Roux", "0467112233")


def test_un_telephone_invalide_est_refuse_en_francais_et_rien_ne_change(client, parent):
    reponse = client.post(
        reverse("rgpd:corriger"), {"first_name": "Aurélie", "last_name": "Martin", "telephone": "06 12"}
    )

    assert reponse.status_code == 200
    assert "Saisissez un numéro à 10 chiffres commençant par 0" in reponse.content.decode()
    parent.refresh_from_db()
    assert (parent.first_name, parent.telephone) == ("Aurelie", "0612345678")


def test_un_nom_efface_est_refuse_en_francais(client, parent):
    reponse = client.post(reverse("rgpd:corriger"), {"first_name": "Aurélie", "last_name": "   ", "telephone": ""})

    assert reponse.status_code == 200
    assert "Indiquez votre nom." in reponse.content.decode()
    parent.refresh_from_db()
    assert (parent.first_name, parent.last_name, parent.telephone) == ("Aurelie", "Martin", "0612345678")


def test_la_page_mene_aux_demandes_et_au_relais_pour_le_reste(client, parent):
    ouverte = DemandeFactory(parent=parent)
    close = DemandeFactory(parent=parent, retiree=True, relais=ouverte.relais)

    page = client.get(reverse("rgpd:corriger")).content.decode()

    assert reverse("demandes:detail", args=[ouverte.pk]) in page
    assert close.reference in page
    assert ouverte.relais.email in page
