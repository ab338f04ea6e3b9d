"""What insertion tests start from: a request of a family in job search, taken on by its relais' animatrice,
and a crèche of the relais' territory with AVIP places."""

from datetime import timedelta

from django.utils import timezone

from demandes.models import Situation
from tests.assmats.factories import StructureFactory
from tests.demandes.factories import DemandeFactory


def demande_en_insertion(**kwargs):
    """A request taken on by its relais, whose parent looks for a job."""
    return DemandeFactory(prise=True, **{"situation_parent1": Situation.RECHERCHE_EMPLOI, **kwargs})


def creche_avip(relais, *, places_avip=2, **kwargs):
    return StructureFactory(commune=relais.commune_siege, places_avip=places_avip, **kwargs)


def demande_p1(**kwargs):
    """A couple expecting its first child, on RSA: PEPIT public P1."""
    valeurs = {
        "enfant_a_naitre": True,
        "premier_enfant": True,
        "rsa": True,
        "enfant_date": timezone.localdate() + timedelta(days=90),
        "date_debut_souhaitee": timezone.localdate() + timedelta(days=200),
    }
    return DemandeFactory(prise=True, **(valeurs | kwargs))


def demande_p2(**kwargs):
    """A single parent of a baby of 8 months: PEPIT public P2."""
    bebe = timezone.localdate() - timedelta(days=240)
    return DemandeFactory(prise=True, **({"parent_isole": True, "enfant_date": bebe} | kwargs))
