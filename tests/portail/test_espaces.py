import pytest
from django.urls import reverse

from tests.factories import AgentCafFactory, MembreRelaisFactory, RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page(client, user, name="portail:espace"):
    client.force_login(user)
    return client.get(reverse(name), follow=True)


def test_un_parent_arrive_sur_son_espace(client):
    response = _page(client, UserFactory(first_name="Nora"))

    assert response.redirect_chain[-1][0] == reverse("portail:espace_parent")
    assert "Bonjour Nora" in response.content.decode()


def test_une_assmat_sans_fiche_est_invitee_a_renseigner_son_profil(client):
    response = _page(client, UserFactory(assmat=True))

    assert response.redirect_chain[-1][0] == reverse("assmats:profil")
    assert "Commencez par renseigner votre profil" in response.content.decode()


def test_une_animatrice_voit_son_relais_et_son_equipe_mais_pas_les_autres(client):
    membre = MembreRelaisFactory(relais__nom="RPE des Garrigues", user__last_name="Fabre")
    RelaisFactory(nom="RPE Voisin")

    html = _page(client, membre.user).content.decode()

    assert "RPE des Garrigues" in html
    assert "Fabre" in html
    assert "RPE Voisin" not in html


def test_un_agent_caf_voit_les_relais_de_son_departement(client):
    relais = RelaisFactory(nom="RPE du Pic Saint-Loup")
    agent = AgentCafFactory(departement=relais.departement)

    html = _page(client, agent.user).content.decode()

    assert "RPE du Pic Saint-Loup" in html
    assert "CAF de l&#x27;Hérault" in html


def test_un_admin_a_un_lien_vers_l_administration(client):
    html = _page(client, UserFactory(admin=True)).content.decode()

    assert reverse("admin:index") in html


def test_un_visiteur_est_invite_a_se_connecter(client):
    response = client.get(reverse("portail:espace"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_la_navigation_depend_du_role(client):
    client.force_login(UserFactory(animateur=True))

    html = client.get(reverse("portail:accueil")).content.decode()

    assert "Mon relais" in html
    assert "Administration Django" not in html
