"""An admin opening a family's request, a childminder's file or a convention in the admin site leaves a trace,
as staff reads on the portal do."""

import pytest
from django.urls import reverse

from audit.models import AuditLog
from tests.assmats.factories import assmat_complete
from tests.demandes.factories import DemandeFactory
from tests.factories import UserFactory
from tests.tiers_payant.factories import ConventionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fabrique", "type_objet"),
    [
        (DemandeFactory, "demandes.demande"),
        (assmat_complete, "assmats.assistantmaternel"),
        (ConventionFactory, "tiers_payant.convention"),
    ],
)
def test_l_ouverture_d_une_fiche_dans_l_administration_est_journalisee(client, fabrique, type_objet):
    objet = fabrique()
    admin = UserFactory(admin=True)
    client.force_login(admin)
    url = reverse(f"admin:{objet._meta.app_label}_{objet._meta.model_name}_change", args=[objet.pk])

    assert client.get(url).status_code == 200

    entree = AuditLog.objects.get(action="read", object_type=type_objet)
    assert (entree.user, entree.object_id, entree.path) == (admin, str(objet.pk), url)


def test_la_liste_de_l_administration_n_ecrit_pas_de_lecture(client):
    DemandeFactory()
    client.force_login(UserFactory(admin=True))

    assert client.get(reverse("admin:demandes_demande_changelist")).status_code == 200

    assert not AuditLog.objects.filter(action="read").exists()
