"""Conventions built directly (for permission rows and reads); the lifecycle tests go through the services."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory
from tests.factories import RelaisFactory, UserFactory
from tiers_payant import services
from tiers_payant.models import Convention, ReleveMensuel, Statut


def premier_du_mois(jour: date | None = None) -> date:
    return (jour or timezone.localdate()).replace(day=1)


def assmat_agreee(**kwargs):
    """A childminder with an account and an agrément valid from a year ago for four years."""
    assmat = AssistantMaternelFactory(**kwargs)
    AgrementFactory(assistant_maternel=assmat)
    return assmat


class ConventionFactory(DjangoModelFactory):
    """An eligible family (RSA) in the relais' seat commune. Traits: `envoyee`, `active`."""

    class Meta:
        model = Convention

    reference = factory.Sequence(lambda n: f"TP-2000-{n:06d}")
    relais = factory.SubFactory(RelaisFactory)
    parent = factory.SubFactory(UserFactory)
    commune_famille = factory.SelfAttribute("relais.commune_siege")
    enfant_prenom = "Lina"
    enfant_naissance = factory.LazyFunction(lambda: premier_du_mois().replace(year=premier_du_mois().year - 1))
    assistant_maternel = factory.LazyAttribute(lambda c: assmat_agreee(commune=c.relais.commune_siege))
    date_debut = factory.LazyFunction(premier_du_mois)
    duree_mois = 18
    heures_mensuelles = Decimal(125)
    salaire_horaire = Decimal("4.85")
    indemnites_entretien = Decimal(0)
    indemnites_repas = Decimal(0)
    ressources_mensuelles = Decimal(1000)
    enfants_a_charge = 1
    rsa = True
    created_by = factory.SubFactory(UserFactory, animateur=True)

    class Params:
        envoyee = factory.Trait(statut=Statut.ENVOYEE, numero_agrement="AGR-TEST")
        active = factory.Trait(
            statut=Statut.ACTIVE,
            numero_agrement="AGR-TEST",
            signee_le=factory.LazyFunction(timezone.now),
            activee_le=factory.LazyFunction(timezone.now),
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        convention = model_class(*args, **kwargs)
        estimation = services.estimer_cmg(convention)
        convention.cmg_estime, convention.reste_estime = estimation.cmg, estimation.reste_a_charge
        convention.calcul_cmg = services.calcul_en_json(estimation)
        convention.save()
        return convention


def releve(convention: Convention, *, mois: date | None = None, **kwargs) -> ReleveMensuel:
    """An unconfirmed statement computed by the engine, as the childminder's declaration makes it."""
    mois = mois or convention.date_debut
    saisie = {"heures": Decimal(120), "salaire_horaire": convention.salaire_horaire, "indemnites": Decimal(0)} | kwargs
    resultat = services.calculer_releve(convention, mois=mois, **saisie)
    return ReleveMensuel.objects.create(
        convention=convention,
        mois=mois,
        saisi_par=convention.assistant_maternel.user,
        saisi_le=timezone.now(),
        cout_mensuel=resultat.cout_mensuel,
        cmg=resultat.cmg,
        reste_a_charge=resultat.reste_a_charge,
        regime=resultat.regime,
        **saisie,
    )
