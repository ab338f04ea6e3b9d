"""The relais processes a request through its detail page; the family sees each step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.models import Statut
from tests.demandes.factories import DemandeFactory
from tests.factories import MembreRelaisFactory

pytestmark = pytest.mark.django_db


def test_l_animatrice_traite_la_demande_de_bout_en_bout_et_la_famille_voit_chaque_etape(
    client, animatrice, relais, time_machine
):
    demande = DemandeFactory(relais=relais, enfant_prenom="Léa")
    url = reverse("demandes:detail", args=[demande.pk])
    jour = timezone.localdate() + timedelta(days=3)
    actions = [
        ("prendre", {}, Statut.PRISE_EN_CHARGE, "Prise en charge"),
        (
            "rendez_vous",
            {"date": jour.isoformat(), "heure": "10:00", "duree_minutes": 45, "modalite": "telephone"},
            Statut.RDV_PROPOSE,
            "par téléphone",
        ),
        ("constater", {"issue": "realise", "note": "Famille reçue"}, Statut.RDV_REALISE, "Rendez-vous réalisé"),
        (
            "proposition",
            {"mode": "assmat", "description": "Mme Roux, 3 places"},
            Statut.PROPOSITIONS_FAITES,
            "Mme Roux",
        ),
        (
            "solution",
            {
                "solution-mode": "assmat",
                "solution-description": "Accueil chez Mme Roux",
                "solution-hors_proposition": "famille",
            },
            Statut.SOLUTION_TROUVEE,
            "Accueil chez Mme Roux",
        ),
    ]
    for action, donnees, statut, visible in actions:
        if action == "constater":
            time_machine.move_to(timezone.now() + timedelta(days=4))  # the appointment is over
        client.force_login(animatrice)
        assert client.post(reverse(f"demandes:{action}", args=[demande.pk]), donnees).url == url
        demande.refresh_from_db()
        assert demande.statut == statut, action

        client.force_login(demande.parent)
        page = client.get(url).content.decode()
        assert demande.get_statut_display() in page
        assert visible in page


def test_une_action_refusee_affiche_un_message_sans_rien_changer(client, animatrice, relais):
    demande = DemandeFactory(relais=relais)
    client.force_login(animatrice)

    reponse = client.post(
        reverse("demandes:solution", args=[demande.pk]),
        {"solution-mode": "assmat", "solution-description": "x", "solution-hors_proposition": "famille"},
        follow=True,
    )

    assert "Action impossible" in reponse.content.decode()
    demande.refresh_from_db()
    assert demande.statut == Statut.NOUVELLE


def test_les_notes_privees_ne_sont_jamais_montrees_a_la_famille(client, animatrice, relais):
    demande = DemandeFactory(relais=relais)
    client.force_login(animatrice)
    client.post(reverse("demandes:note", args=[demande.pk]), {"texte": "Famille difficile à joindre"})

    assert "Famille difficile à joindre" in client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()
    client.force_login(demande.parent)
    assert (
        "Famille difficile à joindre" not in client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()
    )


def test_une_animatrice_d_un_autre_relais_ne_peut_agir_sur_la_demande_meme_en_devinant_l_id(client):
    demande = DemandeFactory()
    client.force_login(MembreRelaisFactory().user)

    assert client.get(reverse("demandes:detail", args=[demande.pk])).status_code == 404
    assert client.post(reverse("demandes:prendre", args=[demande.pk])).status_code == 404
    demande.refresh_from_db()
    assert demande.statut == Statut.NOUVELLE


def test_un_parent_ne_voit_pas_la_demande_d_une_autre_famille(client, parent):
    demande = DemandeFactory()
    client.force_login(parent)

    assert client.get(reverse("demandes:detail", args=[demande.pk])).status_code == 404
    assert client.post(reverse("demandes:retirer", args=[demande.pk]), {"motif": "x"}).status_code == 404
