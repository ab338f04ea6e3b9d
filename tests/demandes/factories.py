"""Factories for requests. Traits, not subclasses: `DemandeFactory(urgente=True, prise=True)`."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from demandes.models import Demande, Mode, RendezVous, Situation, Statut, horaires_atypiques, normaliser_prenom
from tests.factories import MembreRelaisFactory, RelaisFactory, UserFactory

SEMAINE_DE_BUREAU = [{"jour": jour, "debut": "08:30", "fin": "17:30"} for jour in range(5)]


def _animatrice_du_relais(demande):
    return MembreRelaisFactory(relais=demande.relais).user


def _au_statut(statut):
    return factory.Trait(statut=statut, prise_par=factory.LazyAttribute(_animatrice_du_relais))


class DemandeFactory(DjangoModelFactory):
    class Meta:
        model = Demande

    # Year 2000 so that references never collide with those the services number from the counter.
    reference = factory.Sequence(lambda n: f"RPE-2000-{n + 1:06d}")
    parent = factory.SubFactory(UserFactory)
    telephone = "06 12 34 56 78"
    relais = factory.SubFactory(RelaisFactory)
    commune = factory.LazyAttribute(lambda d: d.relais.commune_siege)
    code_postal = factory.LazyAttribute(lambda d: d.commune.codes_postaux[0])
    enfant_prenom = factory.Sequence(lambda n: f"Enfant{n}")
    enfant_prenom_normalise = factory.LazyAttribute(lambda d: normaliser_prenom(d.enfant_prenom))
    enfant_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=200))
    date_debut_souhaitee = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    creneaux = factory.LazyFunction(lambda: list(SEMAINE_DE_BUREAU))
    horaires_atypiques = factory.LazyAttribute(lambda d: horaires_atypiques(d.creneaux))
    modes = factory.LazyFunction(lambda: [Mode.ASSMAT])
    situation_parent1 = Situation.EMPLOI
    consentement_at = factory.LazyFunction(timezone.now)
    statut = Statut.NOUVELLE

    class Params:
        urgente = factory.Trait(urgence=True, urgence_motif="entretien")
        prise = _au_statut(Statut.PRISE_EN_CHARGE)
        prise_en_charge = _au_statut(Statut.PRISE_EN_CHARGE)
        rdv_propose = _au_statut(Statut.RDV_PROPOSE)
        rdv_realise = _au_statut(Statut.RDV_REALISE)
        propositions_faites = _au_statut(Statut.PROPOSITIONS_FAITES)
        solution_trouvee = _au_statut(Statut.SOLUTION_TROUVEE)
        sans_solution = _au_statut(Statut.SANS_SOLUTION)
        cloturee = _au_statut(Statut.CLOTUREE)
        retiree = factory.Trait(statut=Statut.RETIREE, motif_fin="Nous avons trouvé une place.")


def demande_au_statut(statut: str, **kwargs) -> Demande:
    """A request in any status, with an animator when the status needs one."""
    if statut in (Statut.NOUVELLE, Statut.RETIREE):
        return DemandeFactory(statut=statut, **kwargs)
    return DemandeFactory(**{statut: True}, **kwargs)


class RendezVousFactory(DjangoModelFactory):
    """A planned appointment of a request waiting for it, by phone, next week unless told."""

    class Meta:
        model = RendezVous

    demande = factory.SubFactory(DemandeFactory, rdv_propose=True)
    debut = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    modalite = RendezVous.Modalite.TELEPHONE
    auteur = factory.LazyAttribute(lambda r: r.demande.prise_par)
