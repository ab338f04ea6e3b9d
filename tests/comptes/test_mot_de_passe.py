import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOUVEAU = "Nouveau-mot-de-passe-2026"


def test_un_parent_reinitialise_son_mot_de_passe_par_e_mail(client):
    user = UserFactory(email="marc@exemple.fr")

    client.post(reverse("account_reset_password"), {"email": "marc@exemple.fr"})
    lien = re.search(r"https?://[^/\s]+(/comptes/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    formulaire = client.get(lien, follow=True)
    client.post(formulaire.redirect_chain[-1][0], {"password1": NOUVEAU, "password2": NOUVEAU})

    user.refresh_from_db()
    assert user.check_password(NOUVEAU)


def test_une_adresse_inconnue_ne_revele_rien(client):
    response = client.post(reverse("account_reset_password"), {"email": "inconnu@exemple.fr"}, follow=True)

    assert response.status_code == 200
    # Prevent enumeration: the page says the same thing; the mail tells the stranger no account exists.
    assert len(mail.outbox) == 1
    assert "inconnu@exemple.fr" in mail.outbox[0].to
