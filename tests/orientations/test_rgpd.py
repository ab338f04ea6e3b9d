"""GDPR: the family learns from its export who referred it and when it agreed; deleting its account blanks the
name the adviser typed, and the adviser's list then names nobody."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from orientations.models import Orientation
from rgpd.services import supprimer_compte
from tests.orientations.factories import MembrePartenaireFactory, orientation_de

pytestmark = pytest.mark.django_db


@pytest.fixture
def orientation():
    return orientation_de(MembrePartenaireFactory(partenaire__nom="Mission locale de Sète"))


def test_l_export_de_la_famille_dit_qui_l_a_orientee_et_quand_elle_l_a_accepte(client, orientation):
    client.force_login(orientation.demande.parent)

    donnees = json.loads(client.get(reverse("rgpd:export_json")).content.decode())

    [ligne] = donnees["sections"]["orientations"]["lignes"]
    assert ligne["demande"] == orientation.demande.reference
    assert ligne["partenaire"] == "Mission locale de Sète"
    assert ligne["consentement_le"] == timezone.localdate().isoformat()


def test_la_suppression_du_compte_efface_le_nom_que_le_partenaire_avait_saisi(client, orientation):
    supprimer_compte(user=orientation.demande.parent)

    orientation = Orientation.objects.get(pk=orientation.pk)
    assert (orientation.famille_prenom, orientation.famille_nom) == ("", "")
    assert orientation.anonymise_le is not None
    assert orientation.partenaire.nom == "Mission locale de Sète"
    client.force_login(orientation.orientee_par)
    assert "Benali" not in client.get(reverse("orientations:mes_orientations")).content.decode()
