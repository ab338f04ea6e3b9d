"""Who displays her availability: the territory's list, its « disponibilités non affichées » filter, the
reminder's recipients and mission 2 (b) read one selector (`assmats.selectors.affichent_leurs_disponibilites`),
so that on the same childminders they tell the same story."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assmats.models import AssistantMaternel
from assmats.selectors import affichent_leurs_disponibilites, destinataires_de_la_relance
from indicateurs import services
from indicateurs.models import Snapshot
from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory, DisponibiliteFactory
from tests.factories import MembreRelaisFactory, RelaisFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territoire():
    """Five childminders of one territory, each a way of (not) displaying her availability today."""
    relais = RelaisFactory()
    commune = relais.commune_siege

    def assmat(nom, *, affichee=True, agrement=True, expire=False, declaration="fraiche"):
        am = AssistantMaternelFactory(nom=nom, commune=commune, affichee=affichee, email=f"{nom.lower()}@exemple.fr")
        if agrement:
            AgrementFactory(assistant_maternel=am, expire=expire)
        if declaration == "fraiche":
            DisponibiliteFactory(assistant_maternel=am)
        elif declaration == "perimee":
            DisponibiliteFactory(assistant_maternel=am, perimee=True)
        return am

    return relais, {
        "Affichante": assmat("Affichante"),
        "Perimee": assmat("Perimee", declaration="perimee"),
        "Discrete": assmat("Discrete", affichee=False),
        # Consents and confirmed, but her agrément ended yesterday: the public no longer sees her.
        "Expiree": assmat("Expiree", expire=True),
        # Consents but never declared anything: she displays nothing.
        "Muette": assmat("Muette", declaration=None),
    }


def _noms(queryset) -> set[str]:
    return set(queryset.values_list("nom", flat=True))


def _liste(client, relais, filtre) -> set[str]:
    client.force_login(MembreRelaisFactory(relais=relais).user)
    lignes = client.get(reverse("assmats:liste"), {"filtre": filtre}).context["page"].object_list
    return {ligne["nom"] for ligne in lignes}


def test_une_seule_definition_de_qui_affiche_ses_disponibilites(territoire):
    relais, _ = territoire

    affichent = affichent_leurs_disponibilites(AssistantMaternel.objects.du_territoire(relais), timezone.localdate())

    assert _noms(affichent) == {"Affichante"}


def test_la_liste_du_territoire_dit_affichee_pour_celles_la_seulement(client, territoire):
    relais, _ = territoire

    assert _liste(client, relais, "affichee") == {"Affichante"}


def test_les_disponibilites_non_affichees_sont_toutes_les_autres(client, territoire):
    relais, _ = territoire

    assert _liste(client, relais, "non_affichee") == {"Perimee", "Discrete", "Expiree", "Muette"}


def test_la_relance_va_a_celles_qui_n_affichent_pas_et_peuvent_afficher(territoire):
    relais, _ = territoire

    # Agréées with an e-mail and not displaying: the one whose agrément ended could not display if she wanted.
    assert _noms(destinataires_de_la_relance(relais)) == {"Perimee", "Discrete", "Muette"}


def test_la_mission_2b_compte_les_memes_assmats(territoire):
    relais, am = territoire
    annee = timezone.localdate().year

    services.enregistrer_indicateurs(relais_id=relais.pk, annee=annee)
    m2b = Snapshot.objects.get(relais=relais, annee=annee, code="m2b_disponibilites")

    assert m2b.ids_numerateur == [am["Affichante"].pk]
    agreees = ("Affichante", "Perimee", "Discrete", "Muette")
    assert sorted(m2b.ids_denominateur) == sorted(am[nom].pk for nom in agreees)
