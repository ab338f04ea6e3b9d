from datetime import timedelta

import pytest
from django.utils import timezone

from assmats.models import Entretien
from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory, SignalementFactory
from tests.factories import PASSWORD, CommuneFactory, MembreRelaisFactory, RelaisFactory, UserFactory
from tests.navigateur import violations_graves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _se_connecter(page, email):
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_une_assmat_met_a_jour_ses_disponibilites_et_apparait_dans_la_recherche_publique(page, axe):
    relais = RelaisFactory(commune_siege__nom="Clapiers")
    assmat = AssistantMaternelFactory(prenom="Sylvie", nom="Martin", commune=relais.commune_siege)
    AgrementFactory(assistant_maternel=assmat, capacite_totale=4, capacite_moins_3_ans=3)

    _se_connecter(page, assmat.user.email)
    page.get_by_role("heading", name="Bonjour Sylvie").wait_for()
    assert violations_graves(axe, page) == []
    page.get_by_role("link", name="Modifier mon profil").click()
    page.get_by_label("afficher mes disponibilités en ligne").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Déclarer mes disponibilités").click()
    page.get_by_label("Places pour un enfant de moins de 3 ans").fill("2")
    page.get_by_label("Places pour un enfant de 3 ans ou plus").fill("1")
    page.get_by_label("le samedi").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Affichées en ligne").wait_for()
    # Her space says what the families read, in the words of the public card.
    phrase_de_son_espace = page.get_by_text("Les familles lisent :").locator(".places-libres").inner_text()
    assert (
        phrase_de_son_espace
        == "2 places libres : 1 pour un enfant de tout âge, 1 pour un enfant de moins de 3 ans seulement"
    )
    page.get_by_role("button", name="Se déconnecter").click()

    page.goto("/assmats/recherche/")
    page.get_by_role("combobox", name="Commune").select_option(label=str(relais.commune_siege))
    page.get_by_label("le samedi").check()
    page.get_by_role("button", name="Rechercher").click()

    resultat = page.get_by_role("listitem").filter(has_text="Sylvie M.")
    assert phrase_de_son_espace in resultat.inner_text()
    assert "Martin" not in page.content()
    assert violations_graves(axe, page) == []


def test_une_animatrice_propose_un_entretien_a_une_assmat_en_sous_activite(page, axe):
    relais = RelaisFactory()
    animatrice = MembreRelaisFactory(relais=relais).user
    signalement = SignalementFactory(assistant_maternel__commune=relais.commune_siege, assistant_maternel__nom="Roux")
    quand = (timezone.localtime() + timedelta(days=6)).replace(hour=14, minute=30, second=0, microsecond=0)

    _se_connecter(page, animatrice.email)
    page.get_by_role("link", name="Suivi des sous-activités").click()
    assert violations_graves(axe, page) == []
    page.get_by_role("link", name=f"Proposer un entretien à {signalement.assistant_maternel}").click()
    page.get_by_label("collectif").check()
    page.get_by_label("Date et heure").fill(quand.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_text(f"Entretien proposé à {signalement.assistant_maternel}").wait_for()
    entretien = Entretien.objects.get(signalement=signalement)
    assert (entretien.type, entretien.date_entretien, entretien.propose_par) == ("collectif", quand, animatrice)
    page.get_by_text("à venir : l'issue s'enregistre après l'entretien").wait_for()
    # The interview has taken place: its outcome can now be recorded.
    Entretien.objects.filter(pk=entretien.pk).update(date_entretien=timezone.now() - timedelta(hours=1))
    page.reload()
    page.get_by_label("Issue de l'entretien").select_option("realise")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Issue de l'entretien enregistrée").wait_for()
    entretien.refresh_from_db()
    assert entretien.issue == "realise"


def test_une_famille_qui_tape_son_code_postal_en_chiffres_pleine_chasse_passe_a_l_etape_suivante(page):
    siege = CommuneFactory(nom="Saint-Clément-de-Rivière", code_insee="34247", codes_postaux=["34980"])
    RelaisFactory(commune_siege=siege)
    parent = UserFactory()

    _se_connecter(page, parent.email)
    page.goto("/demandes/mes-demandes/")
    page.get_by_role("link", name="Faire une demande").click()
    page.get_by_label("Votre téléphone").fill("０６ １２ ３４ ５６ ７８")
    page.get_by_label("Code postal").fill("３４９８０")
    page.get_by_label("Commune de résidence").fill("Saint-Clément-de-Rivière")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name="Demande d'accueil : l'enfant").wait_for()
    page.get_by_role("link", name="Étape précédente").click()

    assert page.get_by_label("Code postal").input_value() == "34980"
    assert page.get_by_label("Votre téléphone").input_value() == "06 12 34 56 78"


def test_une_famille_hors_de_tout_relais_est_orientee_vers_monenfant_et_l_annuaire(page, axe):
    RelaisFactory()
    CommuneFactory(nom="Sète", codes_postaux=["34200"])

    _se_connecter(page, UserFactory().email)
    page.goto("/demandes/mes-demandes/")
    page.get_by_role("link", name="Faire une demande").click()
    page.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    page.get_by_label("Code postal").fill("34200")
    page.get_by_label("Commune de résidence").fill("Sète")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    encart = page.locator("#hors-territoire")
    encart.get_by_role("heading", name="Aucun relais de ce portail ne dessert le code postal 34200").wait_for()
    assert encart.get_by_role("link", name="monenfant.fr").get_attribute("href") == "https://monenfant.fr"
    assert violations_graves(axe, page) == []
    encart.get_by_role("link", name="Voir les relais du portail et leurs communes").click()
    page.get_by_role("heading", name="Les relais petite enfance", exact=True).wait_for()


def test_la_recherche_publique_par_un_code_postal_hors_territoire_oriente_ailleurs(page, axe):
    RelaisFactory()

    page.goto("/assmats/recherche/")
    page.get_by_label("Ou votre code postal").fill("７５０１１")
    page.get_by_role("button", name="Rechercher").click()

    page.locator("#hors-territoire").get_by_role("link", name="monenfant.fr").wait_for()
    assert "Aucun relais de ce portail ne dessert le code postal 75011" in page.content()
    assert violations_graves(axe, page) == []
