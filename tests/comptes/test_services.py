import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError

from comptes.models import Role, User
from comptes.services import RoleInvalide, creer_compte_personnel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_un_compte_d_animatrice_cree_par_un_admin_a_son_e_mail_verifie_et_pas_de_mot_de_passe():
    user = creer_compte_personnel(email="Lea@relais.fr", role=Role.ANIMATEUR, first_name="Léa")

    assert user.email == "lea@relais.fr"
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified


def test_on_ne_cree_pas_de_compte_parent_par_la_voie_du_personnel():
    with pytest.raises(RoleInvalide):
        creer_compte_personnel(email="x@exemple.fr", role=Role.PARENT)
    assert not User.objects.exists()


def test_la_base_refuse_l_acces_a_l_administration_hors_role_admin():
    with pytest.raises(IntegrityError):
        UserFactory(animateur=True, is_staff=True)


def test_la_base_refuse_deux_comptes_ne_differant_que_par_la_casse():
    UserFactory(email="sam@exemple.fr")
    with pytest.raises(IntegrityError):
        User.objects.create(email="SAM@exemple.fr")
