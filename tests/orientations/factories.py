"""Partners and their advisers; a referral is made through the service, as the adviser's form does."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from orientations.models import MembrePartenaire, Orientation, Partenaire, TypePartenaire
from orientations.services import DonneesOrientation, orienter
from tests.factories import RelaisFactory, UserFactory


class PartenaireFactory(DjangoModelFactory):
    """An organisation referring families to the relais given (`relais=[...]`), else to a new relais."""

    class Meta:
        model = Partenaire
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"France Travail agence {n}")
    type = TypePartenaire.FRANCE_TRAVAIL

    @factory.post_generation
    def relais(self, create, extracted, **kwargs):
        if create:
            self.relais.set(extracted if extracted is not None else [RelaisFactory()])


class MembrePartenaireFactory(DjangoModelFactory):
    class Meta:
        model = MembrePartenaire

    partenaire = factory.SubFactory(PartenaireFactory)
    user = factory.SubFactory(UserFactory, partenaire=True)


def donnees_orientation(commune, **kwargs) -> DonneesOrientation:
    """A job seeker with a job interview next week, who agreed today to be contacted by the relais."""
    aujourd_hui = timezone.localdate()
    valeurs = {
        "prenom": "Samia",
        "nom": "Benali",
        "email": "samia.benali@exemple.fr",
        "telephone": "0612345678",
        "commune_id": commune.pk,
        "code_postal": commune.codes_postaux[0],
        "enfant_prenom": "Nour",
        "enfant_date": aujourd_hui - timedelta(days=400),
        "date_debut_souhaitee": aujourd_hui + timedelta(days=3),
        "urgence": True,
        "urgence_motif": "entretien",
        "motifs": ["recherche_emploi", "parent_isole"],
        "consentement": True,
        "consentement_le": aujourd_hui,
    }
    return DonneesOrientation(**(valeurs | kwargs))


def orientation_de(membre: MembrePartenaire, **kwargs) -> Orientation:
    """A referral by this adviser to the first relais of their organisation, from its seat commune."""
    commune = membre.partenaire.relais.order_by("pk").first().commune_siege
    return orienter(par=membre.user, donnees=donnees_orientation(commune, **kwargs))
