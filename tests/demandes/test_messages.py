"""What the pages tell the animatrice is true: who sees what she types."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.forms import ENVOYE_A_LA_FAMILLE
from demandes.models import RendezVous
from tests.demandes.factories import DemandeFactory

pytestmark = pytest.mark.django_db


def _aide(contenu: str, champ: str) -> str:
    trouve = re.search(rf'id="{champ}_helptext"[^>]*>([^<]*)<', contenu)
    return trouve.group(1).strip() if trouve else ""


def test_les_champs_que_la_famille_lira_le_disent_a_cote_du_champ(client, relais, animatrice):
    demande = DemandeFactory(relais=relais, rdv_realise=True)
    client.force_login(animatrice)

    contenu = client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()

    assert ENVOYE_A_LA_FAMILLE in _aide(contenu, "id_motif")
    assert ENVOYE_A_LA_FAMILLE in _aide(contenu, "id_description")
    assert "visible du relais seulement" in contenu  # the private note, which the family never sees


def test_un_rendez_vous_refuse_revient_avec_chaque_erreur_a_cote_de_son_champ_et_la_saisie_gardee(
    client, relais, animatrice
):
    demande = DemandeFactory(relais=relais, prise=True)
    client.force_login(animatrice)
    hier = (timezone.localdate() - timedelta(days=1)).isoformat()

    reponse = client.post(
        reverse("demandes:rendez_vous", args=[demande.pk]),
        {"date": hier, "heure": "10:30", "duree_minutes": "60", "modalite": "sur_place", "lieu": ""},
    )

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert re.search(r'id="error_\d+_id_lieu"[^>]*>\s*<strong>Indiquez le lieu du rendez-vous.', contenu)
    assert re.search(r'id="error_\d+_id_date"', contenu)
    assert 'value="60"' in contenu
    assert f'value="{hier}"' in contenu
    assert "Action non enregistrée : corrigez ce qui est signalé dans le formulaire." in contenu
    assert not RendezVous.objects.filter(demande=demande).exists()


def test_une_demande_du_meme_enfant_deposee_par_l_autre_parent_est_signalee_en_double(client, relais, animatrice):
    premiere = DemandeFactory(relais=relais, enfant_prenom="Lina", telephone="06 11 22 33 44")
    seconde = DemandeFactory(
        relais=relais,
        enfant_prenom="LINA ",
        enfant_prenom_normalise=premiere.enfant_prenom_normalise,
        enfant_date=premiere.enfant_date,
        telephone="06 11 22 33 44",
    )
    homonyme = DemandeFactory(relais=relais, enfant_prenom="Lina", enfant_date=premiere.enfant_date)  # another family
    client.force_login(animatrice)

    contenu = client.get(reverse("demandes:detail", args=[seconde.pk])).content.decode()

    assert "Doublon possible (même enfant, même famille)" in contenu
    assert premiere.reference in contenu
    assert homonyme.reference not in contenu
    client.force_login(seconde.parent)
    assert "Doublon possible" not in client.get(reverse("demandes:detail", args=[seconde.pk])).content.decode()
