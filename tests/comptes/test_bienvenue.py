"""A new staff account: the person receives, once, a welcome e-mail naming the portal, where they work and as
what, with a link (on SITE_URL, a real reset token) to choose their password."""

import re

import pytest
from django.contrib import admin
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from comptes import tasks
from comptes.models import Role, User
from comptes.services import creer_compte_personnel
from courriels.services import envoyer_en_attente
from relais.services import ajouter_membre, rattacher_agent_caf
from tests.factories import DepartementFactory, RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://guichet.exemple.fr"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def sans_courtier(monkeypatch):
    """`.delay` runs the job in place, as the worker would after commit."""
    monkeypatch.setattr(tasks.envoyer_bienvenue, "delay", lambda user_id: tasks.envoyer_bienvenue(user_id))


def test_une_animatrice_rattachee_a_son_relais_recoit_un_message_de_bienvenue_qui_le_nomme(
    django_capture_on_commit_callbacks, sans_courtier
):
    relais = RelaisFactory(nom="RPE du Biterrois")
    lea = creer_compte_personnel(email="lea@relais.fr", role=Role.ANIMATEUR, first_name="Léa")

    with django_capture_on_commit_callbacks(execute=True):
        ajouter_membre(relais=relais, user=lea)
    envoyer_en_attente()

    (message,) = mail.outbox
    assert message.to == ["lea@relais.fr"]
    assert message.subject == "[Guichet RPE] Bienvenue : votre compte animateur·rice de relais est ouvert"
    assert "sur le Guichet RPE" in message.body
    assert "Votre rôle : Animateur·rice de relais\nPour : RPE du Biterrois" in message.body
    assert "Mot de passe oublié" in message.body  # what to do once the link has expired
    assert "valable 3 jours" in message.body


def test_le_lien_de_bienvenue_ouvre_la_page_pour_choisir_son_mot_de_passe(client, sans_courtier):
    agent = UserFactory(agent_caf=True, email="agent@caf.fr")
    agent.set_unusable_password()
    agent.save()
    departement = DepartementFactory(nom_caf="CAF de l'Hérault")

    rattacher_agent_caf(departement=departement, user=agent)
    tasks.envoyer_bienvenue(agent.pk)
    envoyer_en_attente()

    (message,) = mail.outbox
    assert "Pour : CAF de l'Hérault" in message.body
    (lien,) = [lien for lien in re.findall(r"https?://\S+", message.body) if "/password/reset/key/" in lien]
    assert lien.startswith(SITE + "/")
    page = client.get(lien.removeprefix(SITE), follow=True)
    assert page.status_code == 200
    assert 'name="password1"' in page.content.decode()


def test_le_message_de_bienvenue_ne_part_qu_une_fois(django_capture_on_commit_callbacks, sans_courtier):
    lea = creer_compte_personnel(email="lea@relais.fr", role=Role.ANIMATEUR)

    with django_capture_on_commit_callbacks(execute=True):
        ajouter_membre(relais=RelaisFactory(), user=lea)
    with django_capture_on_commit_callbacks(execute=True):
        ajouter_membre(relais=RelaisFactory(), user=lea)
    tasks.envoyer_bienvenue(lea.pk)
    envoyer_en_attente()

    assert len(mail.outbox) == 1
    assert User.objects.get(pk=lea.pk).bienvenue_envoyee_le is not None


def test_rien_ne_part_avant_la_validation_de_la_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        creer_compte_personnel(email="admin@guichet.fr", role=Role.ADMIN)
    envoyer_en_attente()

    assert (len(callbacks), mail.outbox) == (1, [])


def test_un_compte_administrateur_recoit_sa_bienvenue_des_sa_creation(
    django_capture_on_commit_callbacks, sans_courtier
):
    with django_capture_on_commit_callbacks(execute=True):
        creer_compte_personnel(email="admin@guichet.fr", role=Role.ADMIN)
    envoyer_en_attente()

    (message,) = mail.outbox
    assert "Votre rôle : Administrateur·rice" in message.body


def test_l_action_de_l_administration_renvoie_le_message_de_bienvenue_pas_le_texte_generique(monkeypatch):
    relais = RelaisFactory(nom="RPE de Béziers")
    lea = creer_compte_personnel(email="lea@relais.fr", role=Role.ANIMATEUR)
    ajouter_membre(relais=relais, user=lea)
    requete = RequestFactory().post("/")
    modele = admin.site._registry[User]
    monkeypatch.setattr(modele, "message_user", lambda *args, **kwargs: None)

    modele.envoyer_lien_mot_de_passe(requete, User.objects.filter(pk=lea.pk))
    envoyer_en_attente()

    (message,) = mail.outbox
    assert "Pour : RPE de Béziers" in message.body
    assert "Bienvenue" in message.subject
    assert SITE + reverse("account_reset_password") + "key/" in message.body


def test_un_compte_qui_a_deja_un_mot_de_passe_ne_recoit_pas_de_bienvenue_automatique(
    django_capture_on_commit_callbacks,
):
    lea = UserFactory(animateur=True)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ajouter_membre(relais=RelaisFactory(), user=lea)

    assert callbacks == []
