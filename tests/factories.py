"""Factories for the core apps. Traits, not subclasses: `UserFactory(animateur=True)`."""

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from comptes.models import Role, User
from relais.models import AgentCaf, Commune, CommuneDuTerritoire, Departement, MembreRelais, Relais

PASSWORD = "un mot de passe solide"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.PARENT
    password = factory.django.Password(PASSWORD)

    class Params:
        assmat = factory.Trait(role=Role.ASSMAT)
        animateur = factory.Trait(role=Role.ANIMATEUR)
        agent_caf = factory.Trait(role=Role.AGENT_CAF)
        partenaire = factory.Trait(role=Role.PARTENAIRE)
        admin = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)

    @factory.post_generation
    def email_verifie(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class DepartementFactory(DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = "34"
    nom = "Hérault"
    nom_caf = "CAF de l'Hérault"


# Real codes that tests give their communes by hand: the sequence must never hand them out too, or a test
# fails with a duplicate code depending on how many communes the tests before it created.
CODES_INSEE_ECRITS_DANS_LES_TESTS = {"34077", "34120", "34142", "34172", "34247"}


def _code_insee(n: int) -> str:
    code = f"34{n % 1000:03d}"
    if code in CODES_INSEE_ECRITS_DANS_LES_TESTS:
        code = f"34{(n + 500) % 1000:03d}"
    return code


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune

    code_insee = factory.Sequence(_code_insee)
    nom = factory.Sequence(lambda n: f"Commune {n}")
    departement = factory.SubFactory(DepartementFactory)
    codes_postaux = factory.LazyAttribute(lambda c: [f"34{c.code_insee[-3:]}"])
    population = 2000


class RelaisFactory(DjangoModelFactory):
    """A relais whose territory is its seat commune (pass `communes=[...]` for more)."""

    class Meta:
        model = Relais
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"RPE numéro {n}")
    departement = factory.SubFactory(DepartementFactory)
    adresse = "1 place de la Mairie"
    commune_siege = factory.SubFactory(CommuneFactory, departement=factory.SelfAttribute("..departement"))
    telephone = "0467000000"
    email = factory.Sequence(lambda n: f"relais{n}@exemple.fr")

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create:
            for commune in extracted if extracted is not None else [self.commune_siege]:
                CommuneDuTerritoire.objects.create(relais=self, commune=commune)


class MembreRelaisFactory(DjangoModelFactory):
    class Meta:
        model = MembreRelais

    relais = factory.SubFactory(RelaisFactory)
    user = factory.SubFactory(UserFactory, animateur=True)


class AgentCafFactory(DjangoModelFactory):
    class Meta:
        model = AgentCaf

    departement = factory.SubFactory(DepartementFactory)
    user = factory.SubFactory(UserFactory, agent_caf=True)
