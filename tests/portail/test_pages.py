import pytest
from django.test import RequestFactory
from django.urls import reverse

from portail.views import page_500
from tests.factories import CommuneFactory, RelaisFactory

pytestmark = pytest.mark.django_db


def test_l_accueil_presente_le_service_et_les_relais(client):
    RelaisFactory(nom="RPE de la Vallée")

    html = client.get(reverse("portail:accueil")).content.decode()

    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html
    assert "RPE de la Vallée" in html


def test_la_fiche_publique_d_un_relais_liste_ses_communes(client):
    relais = RelaisFactory(commune_siege__nom="Saint-Gély-du-Fesc")

    html = client.get(reverse("relais:fiche", args=[relais.pk])).content.decode()

    assert "Saint-Gély-du-Fesc" in html


def test_l_annuaire_des_relais_dit_les_communes_de_chacun_dans_l_ordre_du_dictionnaire(client):
    relais = RelaisFactory(commune_siege__nom="Boujan")
    relais.communes.add(CommuneFactory(nom="Béziers"))

    html = client.get(reverse("relais:annuaire")).content.decode()

    assert "Béziers, Boujan" in html


def test_l_accueil_mene_aux_criteres_de_classement(client):
    html = client.get(reverse("portail:accueil")).content.decode()

    assert f'href="{reverse("demandes:criteres")}"' in html


@pytest.mark.parametrize("sigle", ["RSA", "QF", "PEPIT", "CMG", "CAF", "RPE"])
def test_la_page_des_criteres_explique_chaque_sigle(client, sigle):
    html = client.get(reverse("demandes:criteres")).content.decode()

    assert f'<dt class="col-sm-2">{sigle}</dt>' in html


def test_une_page_inconnue_repond_en_francais(client):
    response = client.get("/nulle-part/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_la_page_d_erreur_500_est_en_francais():
    response = page_500(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Le service rencontre un problème" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "texte"), [("portail:confidentialite", "Durée de conservation"), ("portail:mentions_legales", "Éditeur")]
)
def test_les_pages_legales_sont_publiques(client, name, texte):
    assert texte in client.get(reverse(name)).content.decode()


def test_les_fichiers_bootstrap_sont_servis_par_le_portail_sans_cdn(client):
    html = client.get(reverse("portail:accueil")).content.decode()

    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "cdn" not in html.lower()
