from datetime import date, time, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from assmats.models import (
    Accueil,
    Agrement,
    AssistantMaternel,
    Disponibilite,
    Entretien,
    HistoriqueAffichage,
    LabelAvip,
    SignalementSousActivite,
    Structure,
)
from tests.factories import CommuneFactory, UserFactory


class AssistantMaternelFactory(DjangoModelFactory):
    """A childminder with an account. Traits: `sans_compte`, `affichee` (consents to display).

    Like `assmats.services.enregistrer_profil`, the file's creation is an event of the display history (dated
    now, with her consent)."""

    class Meta:
        model = AssistantMaternel
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, assmat=True)
    prenom = factory.LazyAttribute(lambda a: a.user.first_name if a.user else "Sylvie")
    nom = factory.LazyAttribute(lambda a: a.user.last_name if a.user else "Durand")
    email = factory.LazyAttribute(lambda a: a.user.email if a.user else "sylvie.durand@exemple.fr")
    telephone = "0467112233"
    adresse = "3 rue des Écoles"
    commune = factory.SubFactory(CommuneFactory)

    class Params:
        sans_compte = factory.Trait(user=None)
        affichee = factory.Trait(afficher_disponibilites=True)

    @factory.post_generation
    def historique_affichage(self, create, extracted, **kwargs):
        if create:
            HistoriqueAffichage.objects.create(
                assistant_maternel=self, le=timezone.now(), affiche=self.afficher_disponibilites, confirmation=False
            )


class AgrementFactory(DjangoModelFactory):
    class Meta:
        model = Agrement

    assistant_maternel = factory.SubFactory(AssistantMaternelFactory)
    numero = factory.Sequence(lambda n: f"AGR-34-{n:05d}")
    date_delivrance = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    date_fin_validite = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=4 * 365))
    capacite_totale = 4
    capacite_moins_3_ans = 3

    class Params:
        expire = factory.Trait(
            date_fin_validite=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
        )


class AccueilFactory(DjangoModelFactory):
    class Meta:
        model = Accueil

    assistant_maternel = factory.SubFactory(AssistantMaternelFactory)
    prenom_enfant = factory.Sequence(lambda n: f"Enfant{n}")
    date_naissance = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    jours = factory.LazyFunction(lambda: [0, 1, 2, 3, 4])
    heure_debut = time(8)
    heure_fin = time(17)
    date_debut = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    date_fin = None


class DisponibiliteFactory(DjangoModelFactory):
    """A declaration confirmed on `confirmee_le`: like `assmats.services.declarer_disponibilites`, a confirmation
    event of the display history at that date, with the childminder's consent."""

    class Meta:
        model = Disponibilite
        skip_postgeneration_save = True

    assistant_maternel = factory.SubFactory(AssistantMaternelFactory, affichee=True)
    a_partir_du = factory.LazyFunction(timezone.localdate)
    places_moins_3_ans = 1
    places_plus_3_ans = 1
    jours = factory.LazyFunction(lambda: [0, 1, 2, 3, 4])
    confirmee_le = factory.LazyFunction(timezone.now)

    class Params:
        perimee = factory.Trait(confirmee_le=factory.LazyFunction(lambda: timezone.now() - timedelta(days=100)))

    @factory.post_generation
    def historique_affichage(self, create, extracted, **kwargs):
        if create:
            HistoriqueAffichage.objects.create(
                assistant_maternel=self.assistant_maternel,
                le=self.confirmee_le,
                affiche=self.assistant_maternel.afficher_disponibilites,
                confirmation=True,
            )


class SignalementFactory(DjangoModelFactory):
    class Meta:
        model = SignalementSousActivite

    assistant_maternel = factory.SubFactory(AssistantMaternelFactory)
    depuis = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    places_inoccupees = 2


class EntretienFactory(DjangoModelFactory):
    class Meta:
        model = Entretien

    signalement = factory.SubFactory(SignalementFactory)
    type = Entretien.Type.INDIVIDUEL
    date_entretien = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    propose_par = factory.SubFactory(UserFactory, animateur=True)


class LabelAvipFactory(DjangoModelFactory):
    class Meta:
        model = LabelAvip

    assistant_maternel = factory.SubFactory(AssistantMaternelFactory)
    date_debut = date(2026, 1, 1)
    accorde_par = factory.SubFactory(UserFactory, agent_caf=True)


class StructureFactory(DjangoModelFactory):
    class Meta:
        model = Structure

    type = Structure.Type.CRECHE
    nom = factory.Sequence(lambda n: f"Crèche les Lucioles {n}")
    adresse = "5 avenue de la Gare"
    commune = factory.SubFactory(CommuneFactory)
    places_moins_3_ans = 30
    places_plus_3_ans = 10
    places_insertion = 2


def assmat_complete(**kwargs) -> AssistantMaternel:
    """A childminder with a valid agrément (4 places, 3 under 3) and a displayed, fresh declaration."""
    assmat = AssistantMaternelFactory(affichee=True, **kwargs)
    AgrementFactory(assistant_maternel=assmat)
    DisponibiliteFactory(assistant_maternel=assmat)
    return assmat
