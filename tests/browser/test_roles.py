import pytest

from tests.factories import PASSWORD, AgentCafFactory, MembreRelaisFactory, UserFactory
from tests.navigateur import violations_graves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _se_connecter(page, email):
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def _utilisateur(role):
    if role == "animateur":
        return MembreRelaisFactory(relais__nom="RPE des Garrigues").user
    if role == "agent_caf":
        return AgentCafFactory().user
    return UserFactory(**({} if role == "parent" else {role: True}))


@pytest.mark.parametrize(
    ("role", "titre"),
    [
        ("parent", "Bonjour"),
        # A new childminder account is first asked for her file.
        ("assmat", "Mon profil"),
        ("animateur", "Bonjour"),
        ("agent_caf", "Espace CAF"),
        ("admin", "Administration du portail"),
    ],
)
def test_chaque_role_se_connecte_et_voit_sa_page_d_accueil_accessible(page, axe, role, titre):
    user = _utilisateur(role)

    _se_connecter(page, user.email)

    page.get_by_role("heading", level=1).filter(has_text=titre).wait_for()
    assert user.email in page.content() or user.get_full_name() in page.content()
    assert violations_graves(axe, page) == []


def test_les_pages_publiques_n_ont_pas_de_violation_grave(page, axe):
    for url in ["/", "/relais/", "/comptes/login/", "/comptes/signup/", "/confidentialite/", "/mentions-legales/"]:
        page.goto(url)
        assert violations_graves(axe, page) == [], url


def test_le_formulaire_d_inscription_avec_erreurs_reste_accessible(page, axe):
    page.goto("/comptes/signup/")
    page.get_by_role("button", name="Création de compte").click()

    resume = page.get_by_role("alert")
    assert "erreur" in resume.inner_text()
    assert violations_graves(axe, page) == []


def test_le_lien_d_evitement_mene_au_contenu(page):
    page.goto("/")
    page.keyboard.press("Tab")

    lien = page.get_by_role("link", name="Aller au contenu")
    assert lien.evaluate("element => element === document.activeElement")
    lien.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
