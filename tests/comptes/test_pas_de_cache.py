"""Every page and download holding a family's or a childminder's data says `Cache-Control: no-store, private`
to every person allowed to open it, so that a shared computer keeps no copy after logout.

The objects and the people who may open each URL come from the permission matrix.
"""

import pytest
from django.urls import reverse

from tests.test_matrice_permissions import MATRICE, ROLES, monde  # noqa: F401 (monde is a fixture)

pytestmark = pytest.mark.django_db

DONNEES_DE_FAMILLE = [
    # A family's request: the parent's own pages, the relais' queue and work on it, unmet needs.
    "demandes:mes_demandes",
    "demandes:etape",
    "demandes:confirmation",
    "demandes:retirer",
    "demandes:detail",
    "demandes:file",
    "demandes:mise_en_relation",
    "demandes:propositions_assmat",
    "demandes:besoins_non_satisfaits",
    "demandes:besoins_non_satisfaits_csv",
    # Tiers payant: conventions, their PDF, monthly statements, the CAF's payment export.
    "tiers_payant:conventions",
    "tiers_payant:convention",
    "tiers_payant:pdf",
    "tiers_payant:releves",
    "tiers_payant:resilier",
    "tiers_payant:export_paiements",
    # « Mes données »: the page, both downloads, correction, deletion.
    "rgpd:mes_donnees",
    "rgpd:export_json",
    "rgpd:export_pdf",
    "rgpd:corriger",
    "rgpd:supprimer_compte",
    # A childminder's file and the children in her care.
    "assmats:tableau",
    "assmats:profil",
    "assmats:accueils",
    "assmats:accueil_modifier",
    "assmats:liste",
    "assmats:fiche",
    "assmats:sous_activites",
    "assmats:proposer_entretien",
    # Alternative childcare while a childminder is in training.
    "formation:mes_demandes",
    "formation:enfants_concernes",
    "formation:demandes",
    "formation:demande_alternative",
    "formation:session",
    # Spaces and profile, the audit trail (names, addresses).
    "portail:espace_parent",
    "comptes:profil",
    "audit:journal",
]


@pytest.mark.parametrize("nom", DONNEES_DE_FAMILLE)
def test_une_page_de_donnees_personnelles_n_est_gardee_par_aucun_cache(client, monde, nom):  # noqa: F811
    ligne = MATRICE[nom]
    url = reverse(nom, kwargs=ligne.kwargs(monde))
    lecteurs = [role for role in ROLES if ligne.attendu[role] == 200 and monde.users[role] is not None]
    assert lecteurs, f"nobody opens {nom}: the test would check nothing"

    for role in lecteurs:
        client.force_login(monde.users[role])
        response = client.get(url)

        assert response.status_code == 200, (nom, role)
        cache_control = {directive.strip() for directive in response.headers["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache_control, (nom, role, cache_control)
