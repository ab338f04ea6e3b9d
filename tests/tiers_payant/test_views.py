"""The public simulator through the client: rendering, French messages, and no input that gives a 500."""

from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

URL = reverse("tiers_payant:simulateur")

EXEMPLE_CAF = {
    "ressources": "3000",
    "enfants": "1",
    "mois": "2025-09",
    "naissance": "2024-03-15",
    "heures": "125",
    "salaire_horaire": "4.85",
    "indemnites": "",
}


def _page(client, **donnees):
    response = client.get(URL, donnees)
    assert response.status_code == 200
    return response.content.decode()


def test_la_page_vide_propose_le_mois_en_cours_sans_erreur(client):
    with time_machine.travel("2025-10-15 12:00 +02:00"):
        html = _page(client)

    assert 'value="2025-10"' in html
    assert "novalidate" in html
    assert "Le formulaire contient" not in html
    assert "Estimation pour" not in html


def test_l_exemple_publie_par_la_caf_donne_374_euros(client):
    html = _page(client, **EXEMPLE_CAF)

    assert "Estimation pour septembre 2025" in html
    assert "374,13 €" in html
    assert "232,12 €" in html
    assert "0,0619 %" in html  # the effort rate, in the formula shown
    assert "4,85 €" in html
    assert "Estimation indicative" in html
    # The crèche fee for the same hours: 3 000 × 0.0619 % = 1.86 €/h, × 125 h.
    assert "232,50 €" in html


def test_les_montants_a_la_francaise_sont_acceptes(client):
    html = _page(client, **EXEMPLE_CAF | {"ressources": "3 000 €", "salaire_horaire": "4,85"})

    assert "374,13 €" in html


def test_avant_septembre_2025_l_ancien_bareme_est_explique(client):
    html = _page(client, **EXEMPLE_CAF | {"mois": "2025-08"})

    assert "tranche 2" in html
    assert "341,12 €" in html


def test_un_enfant_de_plus_de_6_ans_n_a_pas_de_cmg_et_la_page_dit_pourquoi(client):
    html = _page(client, **EXEMPLE_CAF | {"naissance": "2018-05-10"})

    assert "Pas de CMG ce mois-ci" in html
    assert "le CMG s&#x27;arrête à 6 ans" in html


def test_une_saisie_invalide_est_expliquee_en_francais(client):
    html = _page(client, **EXEMPLE_CAF | {"heures": "500", "salaire_horaire": "beaucoup", "ressources": "-1"})

    assert "Le formulaire contient 3 erreurs" in html
    assert "Indiquez au plus 300 heures par mois." in html
    assert "Saisissez un nombre, par exemple 125 ou 4,85." in html
    assert "Saisissez un nombre positif ou nul." in html
    assert 'href="#id_heures"' in html
    assert "Estimation pour" not in html


@pytest.mark.parametrize(
    ("champ", "valeur", "message"),
    [
        ("salaire_horaire", "150", "Indiquez un salaire horaire d&#x27;au plus 100 € net."),
        ("ressources", "2000000", "Indiquez des ressources mensuelles d&#x27;au plus 1 000 000 €."),
        ("enfants", "0", "Comptez au moins l&#x27;enfant accueilli"),
        ("mois", "2023-01", "Choisissez un mois entre avril 2024 et décembre"),
        ("mois", "2025-13", "Ce mois n&#x27;existe pas"),
        ("mois", "septembre", "Saisissez un mois au format AAAA-MM"),
        ("naissance", "2026-01-01", "L&#x27;enfant doit être né au plus tard pendant le mois de garde."),
        ("naissance", "1990-01-01", "moins de 18 ans"),
        ("naissance", "hier", "Saisissez une date valide"),
        ("heures", "0", "Indiquez un nombre d&#x27;heures supérieur à 0."),
        ("heures", "12,345", "Saisissez au plus deux chiffres après la virgule."),
        ("heures", "NaN", "Saisissez un nombre"),
        ("heures", "", "Ce champ est obligatoire."),
    ],
)
def test_chaque_saisie_absurde_a_son_message(client, champ, valeur, message):
    html = _page(client, **EXEMPLE_CAF | {champ: valeur})

    assert message in html
    assert "Estimation pour" not in html


def test_l_accueil_mene_au_simulateur(client):
    html = client.get(reverse("portail:accueil")).content.decode()

    assert f'href="{URL}"' in html


CHAMPS = [*EXEMPLE_CAF, "parent_isole", "aeeh", "aah"]
texte = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
valeurs = st.one_of(
    texte,
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
    st.sampled_from(["", "0", "-1", "1e999999999", "2025-09", "12/2025", "9999-12", "0000-01", "on", "3 000,5 €"]),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.dictionaries(st.sampled_from(CHAMPS), valeurs), retraits=st.sets(st.sampled_from(CHAMPS)))
def test_aucune_saisie_ne_provoque_d_erreur_serveur(client, changes, retraits):
    donnees = {champ: valeur for champ, valeur in (EXEMPLE_CAF | changes).items() if champ not in retraits}

    assert client.get(URL, donnees).status_code == 200


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(brute=texte)
def test_aucune_chaine_de_requete_brute_ne_provoque_d_erreur_serveur(client, brute):
    chaine = "&".join(f"{champ}={quote(valeur)}" for champ, valeur in EXEMPLE_CAF.items())

    assert client.get(f"{URL}?{chaine}&{brute}").status_code == 200
    assert client.get(f"{URL}?{brute}").status_code == 200


def test_le_formulaire_en_get_ne_met_pas_le_jeton_csrf_dans_l_adresse(client):
    html = _page(client)

    assert "csrfmiddlewaretoken" not in html


def test_un_enfant_de_moins_d_un_an_n_a_pas_0_an(client):
    html = _page(client, **EXEMPLE_CAF | {"naissance": "2025-03-15"})

    assert "l'enfant a moins d&#x27;un an." in html
    assert "0 an" not in html


def test_sans_cmg_une_phrase_remplace_le_calcul(client):
    html = _page(client, **EXEMPLE_CAF | {"ressources": "9000"})

    assert "le barème ne donne pas de CMG pour septembre 2025" in html
    assert "Effort horaire" not in html
