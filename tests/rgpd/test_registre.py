"""The register of processing activities (art. 30) is generated from the models and the settings."""

import csv
import io

import pytest
from django.urls import reverse

from rgpd.registre import TRAITEMENTS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(admin=True))
    return client


def test_le_registre_liste_chaque_traitement(admin_client):
    page = admin_client.get(reverse("rgpd:registre")).content.decode()

    for nom in [
        "Guichet unique des demandes d&#x27;accueil",
        "Offre d&#x27;accueil des assistants maternels",
        "Formation continue des assistants maternels",
        "Tiers payant du complément de libre choix du mode de garde (CMG)",
        "Indicateurs des missions renforcées pour la CAF",
        "Journal d&#x27;accès et sécurité des comptes",
        "Orientation des familles par les partenaires (France Travail, services sociaux)",
    ]:
        assert nom in page
    assert len(TRAITEMENTS) == 7


def test_les_durees_de_conservation_viennent_des_reglages(admin_client, settings):
    settings.RGPD_CONSERVATION = {"demande_close_mois": 24, "agrement_termine_mois": 18, "convention_terminee_ans": 7}

    page = admin_client.get(reverse("rgpd:registre")).content.decode()

    assert "24 mois après la clôture ou le retrait de la demande" in page
    assert "18 mois après la fin de validité du dernier agrément" in page
    assert "7 ans après la fin ou la résiliation de la convention" in page
    assert "36 mois" not in page


def test_les_categories_de_donnees_reprennent_les_champs_des_modeles(admin_client):
    page = admin_client.get(reverse("rgpd:registre")).content.decode()

    # verbose_names of demandes.Demande and tiers_payant.Convention.
    assert "prénom de l&#x27;enfant" in page
    assert "numéro d&#x27;allocataire CAF" in page
    assert "ressources mensuelles du foyer (€)" in page
    # Credentials and internal keys are not data categories.
    assert "jeton de dépôt" not in page
    assert "password" not in page
    # Fields without a French verbose_name are named in French all the same.
    assert "created at" not in page


def test_les_mesures_de_securite_citent_les_reglages(admin_client, settings):
    settings.AXES_FAILURE_LIMIT = 7
    settings.STAFF_SESSION_IDLE_SECONDS = 20 * 60

    page = admin_client.get(reverse("rgpd:registre")).content.decode()

    assert "Compte verrouillé après 7 échecs de connexion" in page
    assert "session fermée après 20 minutes d&#x27;inactivité" in page


def test_le_registre_se_telecharge_en_csv(admin_client, settings):
    settings.RGPD_CONSERVATION = {"demande_close_mois": 30, "agrement_termine_mois": 36, "convention_terminee_ans": 5}

    reponse = admin_client.get(reverse("rgpd:registre_csv"))

    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][:3] == ["Traitement", "Finalités", "Base légale"]
    assert len(lignes) == 1 + len(TRAITEMENTS)
    assert lignes[1][0] == "Guichet unique des demandes d'accueil"
    assert lignes[1][6].startswith("30 mois après la clôture")
