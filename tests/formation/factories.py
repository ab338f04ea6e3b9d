"""Factories of continuing training. Traits, not subclasses: `InscriptionFactory(partie=True)`."""

from datetime import time, timedelta

import factory
import time_machine
from django.utils import timezone
from factory.django import DjangoModelFactory

from formation.models import (
    DemandeAccueilAlternatif,
    EnfantConcerne,
    Inscription,
    JoursPreferes,
    MiseEnRelation,
    OrganismeFormation,
    PropositionAccueilAlternatif,
    SessionFormation,
    SouhaitFormation,
    ThemeFormation,
)
from tests.assmats.factories import AccueilFactory, AssistantMaternelFactory
from tests.factories import RelaisFactory, UserFactory

# Luhn-valid SIRETs (checked by tests/formation/test_siret.py).
SIRETS = ["73282932000074", "44306184100047", "55208131766522", "40483304800022"]


def au_debut_de(session: SessionFormation):
    """The moment the session starts: a departure is recorded from then on, never before."""
    return time_machine.travel(max(session.debut, timezone.now()), tick=False)


def _dans(jours: int):
    return factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=jours))


class ThemeFactory(DjangoModelFactory):
    """Themes come from the data migration; the factory reuses them by label."""

    class Meta:
        model = ThemeFormation
        django_get_or_create = ["libelle"]

    libelle = "Premiers secours (SST, PSC1)"

    class Params:
        handicap = factory.Trait(libelle="Accueil d'un enfant en situation de handicap")
        langage = factory.Trait(libelle="Langage et communication avec le jeune enfant")


class SouhaitFactory(DjangoModelFactory):
    class Meta:
        model = SouhaitFormation

    assistant_maternel = factory.SubFactory(AssistantMaternelFactory)
    theme = factory.SubFactory(ThemeFactory)
    jours_preferes = JoursPreferes.SEMAINE
    commune = factory.SelfAttribute("assistant_maternel.commune")
    created_at = factory.LazyFunction(timezone.now)

    class Params:
        samedi = factory.Trait(jours_preferes=JoursPreferes.SAMEDI)
        retire = factory.Trait(
            created_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
            retire_le=factory.LazyFunction(timezone.now),
        )


class OrganismeFactory(DjangoModelFactory):
    class Meta:
        model = OrganismeFormation
        django_get_or_create = ["siret"]

    nom = factory.Sequence(lambda n: f"Organisme de formation {n}")
    siret = factory.Sequence(lambda n: SIRETS[n % len(SIRETS)])
    contact = "Claire Lenoir"
    email = "formation@exemple.fr"


class SessionFactory(DjangoModelFactory):
    """A one-day session on a weekday in about two weeks, 9:00–17:00, 10 seats, in the relais' seat commune."""

    class Meta:
        model = SessionFormation

    organisme = factory.SubFactory(OrganismeFactory)
    relais = factory.SubFactory(RelaisFactory)
    intitule = factory.Sequence(lambda n: f"Formation continue n° {n}")
    theme = factory.SubFactory(ThemeFactory)
    # Next Tuesday at least a week away: a working day for the children in care.
    date_debut = factory.LazyFunction(
        lambda: timezone.localdate() + timedelta(days=7 + (1 - timezone.localdate().weekday()) % 7)
    )
    date_fin = factory.SelfAttribute("date_debut")
    heure_debut = time(9)
    heure_fin = time(17)
    lieu = "Salle du relais, 1 place de la Mairie"
    commune = factory.SelfAttribute("relais.commune_siege")
    capacite = 10

    class Params:
        passee = factory.Trait(date_debut=_dans(-30))
        samedi = factory.Trait(
            date_debut=factory.LazyFunction(
                lambda: timezone.localdate() + timedelta(days=7 + (5 - timezone.localdate().weekday()) % 7)
            )
        )


class InscriptionFactory(DjangoModelFactory):
    """Enrolled; traits `partie`, `suivie`, `annulee` put it further in its lifecycle (no rule applied)."""

    class Meta:
        model = Inscription

    session = factory.SubFactory(SessionFactory)
    assistant_maternel = factory.SubFactory(
        AssistantMaternelFactory, commune=factory.SelfAttribute("..session.relais.commune_siege")
    )

    class Params:
        partie = factory.Trait(statut=Inscription.Statut.PARTIE, partie_le=factory.LazyFunction(timezone.now))
        suivie = factory.Trait(
            statut=Inscription.Statut.SUIVIE,
            partie_le=factory.LazyFunction(timezone.now),
            terminee_le=factory.LazyFunction(timezone.now),
        )
        annulee = factory.Trait(statut=Inscription.Statut.ANNULEE, terminee_le=factory.LazyFunction(timezone.now))
        grace = factory.Trait(grace_au_relais=True, motifs_grace=[Inscription.MotifGrace.RECUEIL_BESOINS])


class EnfantConcerneFactory(DjangoModelFactory):
    class Meta:
        model = EnfantConcerne

    inscription = factory.SubFactory(InscriptionFactory)
    accueil = factory.SubFactory(
        AccueilFactory, assistant_maternel=factory.SelfAttribute("..inscription.assistant_maternel")
    )
    email_parent = "parent.de.lenfant@exemple.fr"


class DemandeAlternativeFactory(DjangoModelFactory):
    """An online request from a parent for an affected child; trait `telephone` for one the relais typed."""

    class Meta:
        model = DemandeAccueilAlternatif

    enfant_concerne = factory.SubFactory(EnfantConcerneFactory)
    inscription = factory.SelfAttribute("enfant_concerne.inscription")
    relais = factory.SelfAttribute("inscription.session.relais")
    prenom_enfant = factory.SelfAttribute("enfant_concerne.accueil.prenom_enfant")
    parent = factory.SubFactory(UserFactory)
    nom_parent = factory.LazyAttribute(lambda d: d.parent.get_full_name() if d.parent else "Marc Dupuis")
    email_parent = factory.LazyAttribute(lambda d: d.parent.email if d.parent else "")
    date_debut = factory.SelfAttribute("inscription.session.date_debut")
    date_fin = factory.SelfAttribute("inscription.session.date_fin")
    canal = DemandeAccueilAlternatif.Canal.EN_LIGNE

    class Params:
        telephone = factory.Trait(
            canal=DemandeAccueilAlternatif.Canal.TELEPHONE,
            parent=None,
            enfant_concerne=None,
            inscription=factory.SubFactory(InscriptionFactory),
            prenom_enfant="Inès",
            telephone_parent="0611223344",
            enregistree_par=factory.SubFactory(UserFactory, animateur=True),
        )


class PropositionFactory(DjangoModelFactory):
    class Meta:
        model = PropositionAccueilAlternatif

    demande = factory.SubFactory(DemandeAlternativeFactory, statut=DemandeAccueilAlternatif.Statut.PROPOSEE)
    type = PropositionAccueilAlternatif.Type.AUTRE
    description = "Halte-garderie municipale, places le mardi matin."
    propose_par = factory.SubFactory(UserFactory, animateur=True)

    class Params:
        refusee = factory.Trait(
            reponse=PropositionAccueilAlternatif.Reponse.REFUSEE, repondu_le=factory.LazyFunction(timezone.now)
        )
        acceptee = factory.Trait(
            reponse=PropositionAccueilAlternatif.Reponse.ACCEPTEE, repondu_le=factory.LazyFunction(timezone.now)
        )


class MiseEnRelationFactory(DjangoModelFactory):
    class Meta:
        model = MiseEnRelation
        skip_postgeneration_save = True

    relais = factory.SubFactory(RelaisFactory)
    organisme = factory.SubFactory(OrganismeFactory)
    date = factory.LazyFunction(timezone.localdate)
    enregistree_par = factory.SubFactory(UserFactory, animateur=True)

    @factory.post_generation
    def souhaits(self, create, extracted, **kwargs):
        if create and extracted:
            self.souhaits.set(extracted)
