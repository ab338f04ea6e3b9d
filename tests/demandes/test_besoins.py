"""Unmet needs: requests without solution by commune × age band × schedule type, against declared places."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from demandes.besoins import barres, besoins_non_satisfaits, effectif_publie
from demandes.models import Demande
from tests.assmats.factories import assmat_complete
from tests.demandes.factories import DemandeFactory
from tests.factories import AgentCafFactory, CommuneFactory, MembreRelaisFactory, RelaisFactory

pytestmark = pytest.mark.django_db

SAMEDI = [{"jour": 5, "debut": "09:00", "fin": "12:00"}]


@pytest.fixture
def relais():
    clapiers, jacou = CommuneFactory(nom="Clapiers"), CommuneFactory(nom="Jacou")
    return RelaisFactory(commune_siege=clapiers, communes=[clapiers, jacou])


def _sans_solution(commune, relais, *, age_jours=300, **kwargs):
    debut = timezone.localdate() + timedelta(days=30)
    return DemandeFactory(
        relais=relais,
        commune=commune,
        sans_solution=True,
        enfant_date=debut - timedelta(days=age_jours),
        date_debut_souhaitee=debut,
        **kwargs,
    )


def test_les_demandes_sans_solution_sont_comptees_par_commune_age_et_horaires(relais):
    clapiers, jacou = relais.communes.order_by("nom")
    _sans_solution(clapiers, relais)
    _sans_solution(clapiers, relais)
    _sans_solution(clapiers, relais, age_jours=4 * 365)
    _sans_solution(jacou, relais, creneaux=SAMEDI, horaires_atypiques=["samedi"])
    DemandeFactory(relais=relais, commune=clapiers, solution_trouvee=True)
    DemandeFactory(relais=relais, commune=clapiers)
    assmat_complete(commune=clapiers)  # 1 place under 3, 1 place for 3 and over, displayed

    lignes = besoins_non_satisfaits(Demande.objects.all(), timezone.localdate().year, timezone.localdate())

    assert [(x.commune, x.tranche, x.horaires, x.sans_solution, x.places_declarees) for x in lignes] == [
        ("Clapiers", "moins_3", "standard", 2, 1),
        ("Clapiers", "plus_3", "standard", 1, 1),
        ("Jacou", "moins_3", "atypiques", 1, 0),
    ]


def test_une_autre_annee_n_est_pas_comptee(relais):
    demande = _sans_solution(relais.commune_siege, relais)
    Demande.objects.filter(pk=demande.pk).update(statut_modifie_at=timezone.now() - timedelta(days=800))

    assert besoins_non_satisfaits(Demande.objects.all(), timezone.localdate().year, timezone.localdate()) == []


def test_la_page_montre_le_tableau_et_le_graphique(client, relais):
    _sans_solution(relais.commune_siege, relais)
    client.force_login(MembreRelaisFactory(relais=relais).user)

    html = client.get(reverse("demandes:besoins_non_satisfaits")).content.decode()

    assert "<svg" in html
    # One family: under the secrecy threshold, so neither the chart nor the table says how many.
    assert "&lt; 5 sans solution" in html
    assert "<td>Clapiers</td><td>moins de 3 ans</td><td>standard</td><td>&lt; 5</td><td>0</td>" in html


def test_un_agent_caf_voit_les_chiffres_de_son_departement_sans_nom(client, relais):
    demande = _sans_solution(relais.commune_siege, relais, enfant_prenom="Zoé")
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    html = client.get(reverse("demandes:besoins_non_satisfaits")).content.decode()

    assert "Clapiers" in html
    assert "Zoé" not in html
    assert demande.reference not in html


def test_une_animatrice_ne_voit_pas_les_chiffres_d_un_autre_relais(client, relais):
    _sans_solution(relais.commune_siege, relais)
    client.force_login(MembreRelaisFactory().user)

    assert "Clapiers" not in client.get(reverse("demandes:besoins_non_satisfaits")).content.decode()


def test_l_export_csv_reprend_le_tableau(client, relais):
    _sans_solution(relais.commune_siege, relais)
    client.force_login(MembreRelaisFactory(relais=relais).user)

    response = client.get(reverse("demandes:besoins_non_satisfaits_csv"))

    assert response["Content-Type"].startswith("text/csv")
    contenu = response.content.decode("utf-8-sig").splitlines()
    assert contenu[0].startswith("commune;tranche d'âge;horaires")
    assert contenu[1] == "Clapiers;moins de 3 ans;standard;< 5;0"


def test_une_annee_absurde_est_refusee_en_francais(client, relais):
    client.force_login(MembreRelaisFactory(relais=relais).user)

    html = client.get(reverse("demandes:besoins_non_satisfaits"), {"annee": "99999"}).content.decode()

    assert "inférieure ou égale à 2100" in html


@pytest.mark.parametrize(("nombre", "publie"), [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (12, "12")])
def test_un_effectif_sous_le_seuil_n_est_pas_publie(nombre, publie):
    assert effectif_publie(nombre, seuil=5) == publie


def test_au_dela_du_seuil_le_tableau_et_l_export_donnent_le_chiffre_exact(client, relais):
    jacou = relais.communes.get(nom="Jacou")
    for _ in range(5):
        _sans_solution(relais.commune_siege, relais)
    _sans_solution(jacou, relais)
    client.force_login(MembreRelaisFactory(relais=relais).user)

    html = client.get(reverse("demandes:besoins_non_satisfaits")).content.decode()
    csv = client.get(reverse("demandes:besoins_non_satisfaits_csv")).content.decode("utf-8-sig").splitlines()

    assert "<td>Clapiers</td><td>moins de 3 ans</td><td>standard</td><td>5</td><td>0</td>" in html
    assert "5 sans solution" in html
    assert csv[1:] == ["Clapiers;moins de 3 ans;standard;5;0", "Jacou;moins de 3 ans;standard;< 5;0"]


def test_le_seuil_se_regle(client, relais):
    for _ in range(2):
        _sans_solution(relais.commune_siege, relais)
    client.force_login(MembreRelaisFactory(relais=relais).user)

    with override_settings(STATS_SMALL_CELL_THRESHOLD=3):
        csv = client.get(reverse("demandes:besoins_non_satisfaits_csv")).content.decode("utf-8-sig").splitlines()

    assert csv[1] == "Clapiers;moins de 3 ans;standard;< 3;0"


def test_une_barre_masquee_a_la_longueur_du_seuil(relais):
    _sans_solution(relais.commune_siege, relais)
    lignes = besoins_non_satisfaits(Demande.objects.all(), timezone.localdate().year, timezone.localdate())

    (barre,) = barres(lignes, largeur_max=100)

    assert barre.valeur_publiee == "< 5"
    assert barre.largeur == 100  # drawn as 5, the longest bar here, not as 1
