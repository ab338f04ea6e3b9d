"""Her phone is shown only with her availability: withdrawing the consent to display withdraws the phone too."""

import pytest
from django.urls import reverse

from assmats import services
from assmats.models import AssistantMaternel
from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory
from tests.factories import RelaisFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def affichee():
    assmat = AssistantMaternelFactory(commune=RelaisFactory().commune_siege, affichee=True, afficher_telephone=True)
    AgrementFactory(assistant_maternel=assmat)
    return assmat


def test_retirer_son_consentement_depuis_son_profil_retire_aussi_l_affichage_du_telephone(client, affichee):
    client.force_login(affichee.user)

    # The phone box is still ticked: she only unticked the display of her availability.
    reponse = client.post(
        reverse("assmats:profil"),
        {
            "prenom": affichee.prenom,
            "nom": affichee.nom,
            "telephone": "0467112233",
            "commune": affichee.commune.pk,
            "afficher_telephone": "on",
        },
    )

    assert reponse.status_code == 302
    affichee.refresh_from_db()
    assert (affichee.afficher_disponibilites, affichee.afficher_telephone) == (False, False)


def test_le_service_du_profil_ne_garde_jamais_le_telephone_affiche_sans_consentement(affichee):
    fiche = AssistantMaternel.objects.get(pk=affichee.pk)
    fiche.afficher_disponibilites = False

    services.enregistrer_profil(assmat=fiche)

    fiche.refresh_from_db()
    assert fiche.afficher_telephone is False
    assert fiche.historique_affichage.order_by("-le", "-pk").first().affiche is False
