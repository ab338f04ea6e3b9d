"""The « Mes données » PDF reads as a letter to a person: French labels, amounts and dates, no codes, no JSON."""

import json
import re
from datetime import date, time
from decimal import Decimal

import pytest
from django.urls import reverse

from demandes.models import BrouillonDemande
from tests.assmats.factories import AccueilFactory, EntretienFactory, SignalementFactory, assmat_complete
from tests.demandes.factories import DemandeFactory
from tests.factories import UserFactory
from tests.formation.factories import SouhaitFactory
from tests.pdf import texte_du_pdf
from tests.tiers_payant.factories import ConventionFactory, releve

pytestmark = pytest.mark.django_db


def lettre(client, user, tmp_path) -> str:
    """The PDF's text, French spaces (narrow no-break before thousands, no-break before €) read as spaces."""
    client.force_login(user)
    reponse = client.get(reverse("rgpd:export_pdf"))
    assert reponse.status_code == 200
    return texte_du_pdf(reponse.content, tmp_path).replace("\u202f", " ").replace("\u00a0", " ")


def valeur_de(texte: str, libelle: str) -> str:
    """The value written beside a label on the same line of the letter."""
    ligne = re.search(rf"^\s*{re.escape(libelle)}  +(.+?)\s*$", texte, re.M)
    assert ligne, f"« {libelle} » absent de la lettre"
    return ligne.group(1)


@pytest.fixture
def parent_avec_convention():
    parent = UserFactory(first_name="Aurélie", last_name="Martin", telephone="0612345678")
    convention = ConventionFactory(
        active=True,
        parent=parent,
        enfant_prenom="Lina",
        date_debut=date(2026, 11, 1),
        enfant_naissance=date(2025, 12, 5),
        ressources_mensuelles=Decimal("1234.56"),
    )
    releve(convention, mois=date(2026, 11, 1))
    return parent, convention


def test_les_montants_de_la_convention_sont_ecrits_en_euros_a_la_francaise(client, tmp_path, parent_avec_convention):
    parent, convention = parent_avec_convention

    texte = lettre(client, parent, tmp_path)

    assert valeur_de(texte, "Ressources mensuelles du foyer") == "1 234,56 €"
    assert valeur_de(texte, "Salaire horaire net") == "4,85 €"
    assert valeur_de(texte, "Heures d'accueil par mois") == "125 h"
    assert "(€)" not in texte
    assert "1234.56" not in texte


def test_les_dates_sont_ecrites_en_toutes_lettres_et_un_releve_par_son_mois(client, tmp_path, parent_avec_convention):
    parent, _ = parent_avec_convention

    texte = lettre(client, parent, tmp_path)

    assert valeur_de(texte, "Date de naissance de l'enfant") == "5 décembre 2025"
    assert valeur_de(texte, "Date de début") == "1er novembre 2026"
    assert valeur_de(texte, "Mois") == "novembre 2026"
    assert re.search(r"Voici, le \d{1,2}(er)? \w+ \d{4} à \d{1,2} h( \d\d)?, la copie", texte)
    assert not re.search(r"\d\d/\d\d/\d{4}|\d{4}-\d\d-\d\d", texte)


def test_la_lettre_ne_montre_ni_json_ni_nom_de_code(client, tmp_path, parent_avec_convention):
    parent, _ = parent_avec_convention
    DemandeFactory(parent=parent, enfant_prenom="Capucine", prise=True)

    texte = lettre(client, parent, tmp_path)

    assert valeur_de(texte, "Règle de calcul") == "CMG réformé (septembre 2025)"
    assert valeur_de(texte, "Détail du calcul du CMG").startswith("dans le fichier JSON")
    # The request (factory: no RSA) comes before the convention (RSA).
    assert re.findall(r"Bénéficiaire du RSA +(\S+)", texte) == ["non", "oui"]
    for code in ("{", "reforme_2025", "True", "False", "None", "Cle ", "cle_", "_"):
        assert code not in texte, code


def test_une_partie_vide_le_dit_en_accordant(client, tmp_path, parent_avec_convention):
    parent, _ = parent_avec_convention
    DemandeFactory(parent=parent, enfant_prenom="Capucine")

    texte = lettre(client, parent, tmp_path)

    for phrase in ("Aucun rendez-vous.", "Aucune proposition.", "Aucune signature.", "Aucun e-mail."):
        assert phrase in texte
    assert "Aucun." not in texte
    assert "Aucune donnée." not in texte


def test_la_lettre_d_une_assistante_maternelle_dit_son_activite_a_la_francaise(client, tmp_path):
    assmat = assmat_complete(telephone="0467112233")
    AccueilFactory(
        assistant_maternel=assmat,
        prenom_enfant="Noé",
        date_naissance=date(2025, 3, 14),
        heure_debut=time(7, 30),
        heure_fin=time(17),
    )
    EntretienFactory(signalement=SignalementFactory(assistant_maternel=assmat))
    SouhaitFactory(assistant_maternel=assmat)

    texte = lettre(client, assmat.user, tmp_path)

    assert valeur_de(texte, "Mois de naissance de l'enfant") == "mars 2025"
    assert valeur_de(texte, "De") == "7 h 30"
    assert valeur_de(texte, "À") == "17 h"
    assert re.findall(r"Téléphone +(.+)", texte) == ["—", "04 67 11 22 33"]  # her account, then her file
    assert valeur_de(texte, "Afficher mes disponibilités en ligne") == "oui"
    for phrase in ("Aucun label AVIP.", "Aucune inscription.", "Aucune famille proposée.", "Aucune convention."):
        assert phrase in texte
    assert "Aucun enfant." not in texte
    assert "2025-03" not in texte
    assert "_" not in texte


def test_la_demande_en_cours_de_saisie_reprend_les_questions_du_formulaire(client, tmp_path):
    parent = UserFactory()
    BrouillonDemande.objects.create(
        parent=parent,
        donnees={"enfant": {"enfant_prenom": "Capucine", "enfant_date": "2026-05-21", "handicap": "on"}},
    )

    texte = lettre(client, parent, tmp_path)

    assert "Capucine" in texte
    assert "21 mai 2026" in texte
    assert "enfant_date" not in texte
    assert "2026-05-21" not in texte
    assert ": on" not in texte


def test_les_champs_sans_libelle_francais_en_recoivent_un(client, tmp_path, parent_avec_convention):
    """Django names a field without verbose_name after its code (« confirme par »): the letter gives it French."""
    parent, _ = parent_avec_convention

    texte = lettre(client, parent, tmp_path)

    assert valeur_de(texte, "Confirmé par") == "—"
    assert valeur_de(texte, "Contesté par") == "—"
    assert "Confirme par" not in texte


def test_le_json_garde_ses_cles_sans_les_indications_de_la_lettre(client, parent_avec_convention):
    parent, _ = parent_avec_convention
    client.force_login(parent)

    donnees = json.loads(client.get(reverse("rgpd:export_json")).content)

    convention = donnees["sections"]["conventions"]
    assert set(convention) == {"titre", "explication", "libelles", "sous_tables", "lignes"}
    assert set(convention["sous_tables"]["releves"]) == {"titre", "libelles"}
    assert convention["lignes"][0]["ressources_mensuelles"] == "1234.56"
    assert convention["lignes"][0]["releves"][0]["mois"] == "2026-11-01"
