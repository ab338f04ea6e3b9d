"""A relais X with its staff, a family and a childminder, and helpers to walk a convention through its life."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.factories import AgentCafFactory, CommuneFactory, MembreRelaisFactory, RelaisFactory, UserFactory
from tests.tiers_payant.factories import assmat_agreee, premier_du_mois
from tiers_payant import selectors, services


@pytest.fixture
def acteurs():
    relais = RelaisFactory(nom="RPE des Garrigues")
    autre_commune = CommuneFactory(nom="Ailleurs-sur-Mer")
    return SimpleNamespace(
        relais=relais,
        autre_relais=RelaisFactory(nom="RPE du Littoral", departement=relais.departement, communes=[autre_commune]),
        autre_commune=autre_commune,
        animatrice=MembreRelaisFactory(relais=relais, user__first_name="Anne", user__last_name="Animatrice").user,
        agent=AgentCafFactory(departement=relais.departement, user__first_name="Bruno", user__last_name="Caf").user,
        parent=UserFactory(first_name="Paula", last_name="Parent"),
        parent2=UserFactory(first_name="Pierre", last_name="Parent"),
        assmat=assmat_agreee(
            commune=relais.commune_siege,
            user__first_name="Sylvie",
            user__last_name="Nounou",
            adresse="3 rue des Écoles",
        ),
    )


def termes(acteurs, **changes) -> services.Termes:
    """The CAF's published example: 125 h at 4.85 €, 3 000 € a month, one child (but RSA, so eligible)."""
    valeurs = {
        "relais": acteurs.relais,
        "parent": acteurs.parent,
        "parent2": None,
        "commune_famille": acteurs.relais.commune_siege,
        "enfant_prenom": "Lina",
        "enfant_naissance": date(2025, 3, 15),
        "assistant_maternel": acteurs.assmat,
        "date_debut": premier_du_mois(),
        "duree_mois": 18,
        "heures_mensuelles": Decimal(125),
        "salaire_horaire": Decimal("4.85"),
        "indemnites_entretien": Decimal(0),
        "indemnites_repas": Decimal(0),
        "ressources_mensuelles": Decimal(3000),
        "enfants_a_charge": 1,
        "parent_isole": False,
        "rsa": True,
        "aeeh": False,
        "aah": False,
    }
    return services.Termes(**(valeurs | changes))


def preparer(acteurs, **changes):
    return services.preparer_convention(par=acteurs.animatrice, termes=termes(acteurs, **changes))


def envoyer(acteurs, **changes):
    convention = preparer(acteurs, **changes)
    return services.envoyer_pour_signature(convention_id=convention.pk, par=acteurs.animatrice)


def signer(convention, user):
    empreinte = selectors.document_a_signer(convention).sha256
    return services.signer_convention(convention_id=convention.pk, par=user, empreinte=empreinte)


def signer_tous(acteurs, convention):
    for user in (acteurs.agent, acteurs.parent, acteurs.assmat.user):
        signer(convention, user)
    convention.refresh_from_db()
    return convention


def saisie_du_formulaire(acteurs, **changes) -> dict:
    """What an animatrice types in the convention form for the `acteurs` world."""
    return {
        "relais": acteurs.relais.pk,
        "parent_email": acteurs.parent.email,
        "parent2_email": "",
        "commune_famille": acteurs.relais.commune_siege.pk,
        "enfant_prenom": "Lina",
        "enfant_naissance": "2025-03-15",
        "assistant_maternel": acteurs.assmat.pk,
        "date_debut": "2026-01-01",
        "duree_mois": "18",
        "heures_mensuelles": "125",
        "salaire_horaire": "4,85",
        "indemnites_entretien": "",
        "indemnites_repas": "",
        "ressources_mensuelles": "3 000",
        "enfants_a_charge": "1",
        "rsa": "on",
    } | changes
