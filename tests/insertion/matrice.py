"""The insertion actions of the object matrix (tests/test_matrice_objets.py): relais X's request `demande_a`, put
in the state each action needs, and the form data its animatrice succeeds with."""

from datetime import timedelta

from django.utils import timezone

from demandes.models import Situation, Statut
from insertion import services


def _aujourd_hui() -> str:
    return timezone.localdate().isoformat()


def demande_en_insertion(m):
    """demande_a taken on, its parent in job search and a single mother of a baby (P2), relais X's crèche with
    AVIP places."""
    demande = m.demande_a
    demande.statut, demande.prise_par = Statut.PRISE_EN_CHARGE, m.users["animateur_x"]
    demande.situation_parent1, demande.parent_isole = Situation.RECHERCHE_EMPLOI, True
    demande.save()
    m.structure.places_avip = 2
    m.structure.save(update_fields=["places_avip"])
    return demande


def avec_place_avip(m):
    demande = demande_en_insertion(m)
    services.attribuer_place_avip(
        demande_id=demande.pk,
        structure_id=m.structure.pk,
        debut=timezone.localdate() - timedelta(days=10),
        par=m.users["animateur_x"],
    )
    return demande


def avec_parcours(m):
    demande = demande_en_insertion(m)
    services.ouvrir_parcours(
        demande_id=demande.pk, debut=timezone.localdate() - timedelta(days=10), par=m.users["animateur_x"]
    )
    return demande


# URL name (insertion:…) → (the victim request in its state, the data the rightful animatrice posts).
ACTIONS = {
    "attribuer_avip": (
        demande_en_insertion,
        lambda m, o: {"avip-structure": m.structure.pk, "avip-debut": _aujourd_hui()},
    ),
    "renouveler_avip": (avec_place_avip, lambda m, o: {}),
    "terminer_avip": (
        avec_place_avip,
        lambda m, o: {"fin_avip-le": _aujourd_hui(), "fin_avip-motif": "Emploi trouvé."},
    ),
    "ouvrir_parcours": (demande_en_insertion, lambda m, o: {"parcours-debut": _aujourd_hui()}),
    "noter_contact": (avec_parcours, lambda m, o: {"contact-le": _aujourd_hui(), "contact-type": "appel"}),
    "cloturer_parcours": (
        avec_parcours,
        lambda m, o: {"cloture-le": _aujourd_hui(), "cloture-issue": "abandon", "cloture-note": ""},
    ),
}


# --- The fuzzed forms (tests/fuzz/cibles.py): the permission matrix's world, `monde.demande_etat` -----------------


def _fuzz_demande(monde):
    from tests.demandes.factories import DemandeFactory

    monde.structure.places_avip = 2
    monde.structure.save(update_fields=["places_avip"])
    monde.demande_etat = DemandeFactory(
        relais=monde.relais_x,
        parent=monde.users["parent_a"],
        prise=True,
        situation_parent1=Situation.RECHERCHE_EMPLOI,
        parent_isole=True,
    )
    return monde.demande_etat


def fuzz_en_insertion(monde):
    """A request whose page offers an AVIP place and a parcours."""
    _fuzz_demande(monde)


def fuzz_avec_place(monde):
    demande = _fuzz_demande(monde)
    services.attribuer_place_avip(
        demande_id=demande.pk,
        structure_id=monde.structure.pk,
        debut=timezone.localdate() - timedelta(days=10),
        par=demande.prise_par,
    )


def fuzz_avec_parcours(monde):
    demande = _fuzz_demande(monde)
    services.ouvrir_parcours(
        demande_id=demande.pk, debut=timezone.localdate() - timedelta(days=10), par=demande.prise_par
    )


FORMULAIRES = [
    ("attribuer_avip", fuzz_en_insertion),
    ("renouveler_avip", fuzz_avec_place),
    ("terminer_avip", fuzz_avec_place),
    ("ouvrir_parcours", fuzz_en_insertion),
    ("noter_contact", fuzz_avec_parcours),
    ("cloturer_parcours", fuzz_avec_parcours),
]
