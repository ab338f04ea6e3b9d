"""What the pages tell the animatrice is true: who sees what she types."""

import re

import pytest
from django.urls import reverse

from demandes.forms import ENVOYE_A_LA_FAMILLE
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
