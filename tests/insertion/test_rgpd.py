"""GDPR: the family downloads its AVIP places and parcours; once its request is anonymised, their free text is
blanked and the dates, renewals, publics and outcomes the territory's figures need are kept."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes.anonymisation import MASQUE
from insertion import services
from insertion.models import AttributionAvip, ContactParcours, ParcoursAttentionne
from rgpd.services import supprimer_compte
from tests.insertion.factories import creche_avip, demande_en_insertion, demande_p2
from tests.pdf import texte_du_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def famille_suivie():
    """A single parent in job search: an AVIP place ended early, and an open parcours with a noted contact."""
    demande = demande_p2(situation_parent1="recherche_emploi")
    par = demande.prise_par
    aujourd_hui = timezone.localdate()
    services.attribuer_place_avip(
        demande_id=demande.pk,
        structure_id=creche_avip(demande.relais, nom="Crèche des Capucins").pk,
        debut=aujourd_hui - timedelta(days=20),
        par=par,
    )
    services.terminer_place_avip(demande_id=demande.pk, par=par, le=aujourd_hui, motif="Emploi trouvé chez Dupont")
    services.ouvrir_parcours(demande_id=demande.pk, debut=aujourd_hui - timedelta(days=5), par=par)
    services.noter_contact(demande_id=demande.pk, par=par, le=aujourd_hui, type="appel", note="Mme Durand rassurée")
    return demande


def test_l_export_de_la_famille_contient_ses_places_avip_et_son_parcours(client, famille_suivie):
    client.force_login(famille_suivie.parent)

    donnees = json.loads(client.get(reverse("rgpd:export_json")).content.decode())

    [place] = donnees["sections"]["places_avip"]["lignes"]
    assert place["demande"] == famille_suivie.reference
    assert place["motif_fin"] == "Emploi trouvé chez Dupont"
    [parcours] = donnees["sections"]["parcours_attentionnes"]["lignes"]
    assert [c["note"] for c in parcours["contacts"]] == ["Mme Durand rassurée"]


def test_l_export_d_une_autre_famille_ne_contient_rien_de_celle_ci(client, famille_suivie):
    autre = demande_en_insertion(relais=famille_suivie.relais)
    client.force_login(autre.parent)

    donnees = json.loads(client.get(reverse("rgpd:export_json")).content.decode())

    assert donnees["sections"]["places_avip"]["lignes"] == []
    assert donnees["sections"]["parcours_attentionnes"]["lignes"] == []


def test_la_suppression_du_compte_efface_le_texte_libre_et_garde_les_chiffres(famille_suivie):
    supprimer_compte(user=famille_suivie.parent)

    place = AttributionAvip.objects.get()
    assert place.motif_fin == MASQUE
    assert not place.historique.exclude(note="").exists()
    assert place.anonymise_le is not None
    assert (place.terminaison, place.structure.nom) == ("anticipee", "Crèche des Capucins")
    parcours = ParcoursAttentionne.objects.get()
    assert (parcours.public, parcours.anonymise_le is not None) == ("p2", True)
    assert list(ContactParcours.objects.values_list("type", "note")) == [("appel", "")]


def test_la_lettre_pdf_de_la_famille_nomme_sa_creche_avip_et_son_parcours(client, famille_suivie, tmp_path):
    client.force_login(famille_suivie.parent)

    reponse = client.get(reverse("rgpd:export_pdf"))

    assert reponse.content.startswith(b"%PDF")
    texte = " ".join(texte_du_pdf(reponse.content, tmp_path).split())
    assert "Mes places en crèche AVIP" in texte
    assert "Crèche des Capucins" in texte
    assert "Mes parcours attentionnés (PEPIT)" in texte
