import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from comptes.models import Role, User
from courriels.services import envoyer_en_attente

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "Petite-enfance-2026!"


def _inscrire(client, **champs):
    data = {
        "role": "parent",
        "first_name": "Amina",
        "last_name": "Benali",
        "email": "amina@exemple.fr",
        "password1": MOT_DE_PASSE,
        "password2": MOT_DE_PASSE,
    } | champs
    return client.post(reverse("account_signup"), data)


def _lien_de_confirmation():
    envoyer_en_attente()
    return re.search(r"https?://[^/\s]+(/comptes/confirm-email/\S+/)", mail.outbox[-1].body).group(1)


def test_un_parent_s_inscrit_et_recoit_un_lien_de_verification(client):
    response = _inscrire(client)

    assert response.status_code == 302
    user = User.objects.get(email="amina@exemple.fr")
    assert user.role == Role.PARENT
    assert not EmailAddress.objects.get(user=user).verified
    envoyer_en_attente()
    assert mail.outbox[-1].to == ["amina@exemple.fr"]


def test_avant_verification_la_connexion_renvoie_vers_la_verification(client):
    _inscrire(client)
    client.logout()

    response = client.post(reverse("account_login"), {"login": "amina@exemple.fr", "password": MOT_DE_PASSE})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_dans_la_meme_session_le_lien_de_verification_ouvre_l_espace_du_parent(client):
    _inscrire(client)

    confirmation = client.post(_lien_de_confirmation(), follow=True)

    assert EmailAddress.objects.get(email="amina@exemple.fr").verified
    assert confirmation.redirect_chain[-1][0] == reverse("portail:espace_parent")
    assert "Bonjour Amina" in confirmation.content.decode()


def test_apres_verification_le_parent_se_connecte_depuis_un_autre_appareil(client):
    _inscrire(client)
    client.logout()
    client.post(_lien_de_confirmation())

    response = client.post(
        reverse("account_login"), {"login": "amina@exemple.fr", "password": MOT_DE_PASSE}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("portail:espace_parent")


def test_une_assistante_maternelle_s_inscrit_avec_son_role(client):
    _inscrire(client, role="assmat", email="sylvie@exemple.fr")

    assert User.objects.get(email="sylvie@exemple.fr").role == Role.ASSMAT


@pytest.mark.parametrize("role", ["animateur", "agent_caf", "admin"])
def test_personne_ne_s_inscrit_seul_comme_personnel(client, role):
    response = _inscrire(client, role=role)

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not User.objects.exists()


def test_un_mot_de_passe_trop_court_est_refuse_en_francais(client):
    response = _inscrire(client, password1="court", password2="court")

    assert "Ce mot de passe est trop court" in response.content.decode()
    assert not User.objects.exists()


def test_une_adresse_deja_utilisee_ne_cree_pas_de_second_compte(client):
    _inscrire(client)
    client.logout()

    _inscrire(client, email="AMINA@exemple.fr", first_name="Autre")

    assert User.objects.count() == 1


def test_une_adresse_trop_longue_pour_la_base_est_refusee_en_francais(client):
    response = _inscrire(client, email="a" * 250 + "@exemple.fr")

    assert response.status_code == 200
    assert "Une adresse e-mail compte au plus 254 caractères." in response.content.decode()
    assert not User.objects.exists()


def test_ajouter_une_adresse_trop_longue_est_refuse_sans_erreur_serveur(client):
    user = User.objects.create_user(email="amina@exemple.fr", password=MOT_DE_PASSE)
    client.force_login(user)

    response = client.post(reverse("account_email"), {"email": "a" * 250 + "@exemple.fr", "action_add": ""})

    assert response.status_code == 200
    assert "Une adresse e-mail compte au plus 254 caractères." in response.content.decode()
    assert not EmailAddress.objects.filter(email__startswith="aaaa").exists()


def test_reinitialiser_le_mot_de_passe_d_une_adresse_impossible_a_ecrire_repond_en_francais(client):
    response = client.post(reverse("account_reset_password"), {"email": "camille@exemple.fr\u202e"})

    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide." in response.content.decode()
    envoyer_en_attente()
    assert not mail.outbox
