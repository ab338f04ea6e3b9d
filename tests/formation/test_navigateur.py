"""A childminder's training, end to end in Chromium: her wish, her enrolment, the parent's request, the relais'
proposal."""

import re

import pytest
from django.core import mail

from courriels.services import envoyer_en_attente
from formation import emails
from formation.models import EnfantConcerne
from tests.assmats.factories import AccueilFactory, AgrementFactory, AssistantMaternelFactory
from tests.factories import PASSWORD, MembreRelaisFactory, RelaisFactory, UserFactory
from tests.formation.factories import SessionFactory, ThemeFactory
from tests.navigateur import violations_graves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _se_connecter(page, email):
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def _se_deconnecter(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_une_assmat_part_en_formation_et_le_parent_d_un_enfant_accueilli_recoit_une_proposition(page, axe):
    relais = RelaisFactory(commune_siege__nom="Clapiers")
    animatrice = MembreRelaisFactory(relais=relais).user
    assmat = AssistantMaternelFactory(prenom="Sylvie", nom="Martin", commune=relais.commune_siege)
    AgrementFactory(assistant_maternel=assmat)
    AccueilFactory(assistant_maternel=assmat, prenom_enfant="Lina")
    collegue = AssistantMaternelFactory(prenom="Rose", nom="Vidal", commune=relais.commune_siege)
    AgrementFactory(assistant_maternel=collegue)
    theme = ThemeFactory()
    SessionFactory(relais=relais, theme=theme, intitule="Sauveteur secouriste du travail")
    parent = UserFactory(first_name="Nadia", last_name="Benali")

    # The childminder expresses a wish, then enrols on a session near her.
    _se_connecter(page, assmat.user.email)
    page.goto("/formation/mes-souhaits/")
    page.get_by_label("Thème").select_option(label=theme.libelle)
    page.get_by_label("en semaine", exact=True).check()
    page.get_by_role("button", name="Enregistrer mon souhait").click()
    page.get_by_text("Votre souhait de formation est enregistré").wait_for()
    assert violations_graves(axe, page) == []
    page.get_by_role("link", name="Sessions près de chez moi").click()
    page.get_by_role("button", name="M'inscrire à « Sauveteur secouriste du travail »").click()
    page.get_by_text("Vous êtes inscrit·e à « Sauveteur secouriste du travail »").wait_for()

    # She declares Lina affected and gives her parent's e-mail.
    page.get_by_role("link", name="Déclarer les enfants concernés").click()
    page.get_by_label("Lina est concerné·e").check()
    page.get_by_label("E-mail d'un parent de Lina").fill(parent.email)
    assert violations_graves(axe, page) == []
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Les enfants concernés sont enregistrés").wait_for()
    _se_deconnecter(page)

    # The job the declaration enqueued, run as the worker would: the parent receives the link.
    emails.inviter_parent(enfant_concerne_id=EnfantConcerne.objects.get().pk)
    envoyer_en_attente()
    lien = re.search(r"https?://\S+(/formation/accueil-alternatif/demander/\S+/)", mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == [parent.email]

    # The parent opens it: the request is pre-filled with the training's dates.
    _se_connecter(page, parent.email)
    page.goto(lien)
    page.get_by_role("heading", name="Demander un accueil pour Lina").wait_for()
    assert violations_graves(axe, page) == []
    page.get_by_role("button", name="Envoyer ma demande au relais").click()
    page.get_by_text("Votre demande est envoyée au relais").wait_for()
    _se_deconnecter(page)

    # The relais proposes a colleague with a free place those days.
    _se_connecter(page, animatrice.email)
    page.goto("/formation/accueil-alternatif/")
    page.get_by_role("link", name="Lina").click()
    page.get_by_label("un·e autre assistant·e maternel·le").check()
    page.get_by_label("Assistant·e maternel·le", exact=True).select_option(str(collegue.pk))
    assert violations_graves(axe, page) == []
    page.get_by_role("button", name="Enregistrer la proposition").click()
    page.get_by_text("La proposition est enregistrée").wait_for()
    _se_deconnecter(page)

    # The parent sees the proposal and accepts it.
    _se_connecter(page, parent.email)
    page.goto("/formation/accueil-alternatif/mes-demandes/")
    page.get_by_text("Assistant·e maternel·le : Rose Vidal").wait_for()
    assert violations_graves(axe, page) == []
    page.get_by_role("button", name="Accepter cette solution").click()
    page.get_by_text("Votre réponse est enregistrée").wait_for()
    assert "Réponse : <strong>acceptée</strong>" in page.content()
