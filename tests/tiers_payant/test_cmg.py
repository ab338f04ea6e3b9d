"""The CMG and PSU engine against the hand-computed cases of cas_cmg.json, and the parameter files' checks.

No test here is marked `django_db`: the engine must compute without the database.
"""

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tiers_payant.cmg import (
    Baremes,
    Famille,
    Garde,
    ParametresIndisponibles,
    ParametresInvalides,
    calculer_cmg,
    calculer_psu,
    officiels,
)
from tiers_payant.cmg.baremes import DOSSIER_OFFICIEL

CAS = json.loads((Path(__file__).parent / "cas_cmg.json").read_text(encoding="utf-8"))


def _mois(texte):
    annee, mois = texte.split("-")
    return date(int(annee), int(mois), 1)


def _famille(entree):
    return Famille(
        ressources_mensuelles=Decimal(entree["ressources_mensuelles"]),
        enfants_a_charge=entree["enfants_a_charge"],
        parent_isole=entree.get("parent_isole", False),
        aeeh=entree.get("aeeh", False),
        aah=entree.get("aah", False),
    )


@pytest.mark.parametrize("cas", CAS["cmg"], ids=[cas["nom"] for cas in CAS["cmg"]])
def test_cas_cmg(cas):
    entree, attendu = cas["entree"], cas["attendu"]
    resultat = calculer_cmg(
        famille=_famille(entree),
        garde=Garde(
            mois=_mois(entree["mois"]),
            naissance=date.fromisoformat(entree["naissance"]),
            heures=Decimal(entree["heures"]),
            salaire_horaire=Decimal(entree["salaire_horaire"]),
            indemnites=Decimal(entree.get("indemnites", "0")),
        ),
    )

    assert resultat.regime == attendu["regime"], cas["calcul"]
    assert resultat.cmg == Decimal(attendu["cmg"]), cas["calcul"]
    assert resultat.reste_a_charge == Decimal(attendu["reste_a_charge"]), cas["calcul"]
    assert resultat.eligible is attendu.get("eligible", True)
    if "cmg_a_l_euro" in attendu:
        assert round(resultat.cmg) == attendu["cmg_a_l_euro"]
    if "tranche" in attendu:
        assert resultat.ancien.tranche == attendu["tranche"]


@pytest.mark.parametrize("cas", CAS["psu"], ids=[cas["nom"] for cas in CAS["psu"]])
def test_cas_psu(cas):
    entree, attendu = cas["entree"], cas["attendu"]
    resultat = calculer_psu(mois=_mois(entree["mois"]), famille=_famille(entree), heures=Decimal(entree["heures"]))

    assert resultat.tarif_horaire == Decimal(attendu["tarif_horaire"]), cas["calcul"]
    assert resultat.montant_mensuel == Decimal(attendu["montant_mensuel"]), cas["calcul"]


def test_les_cas_couvrent_les_deux_regimes_et_chaque_limite():
    noms = " ".join(cas["nom"] for cas in CAS["cmg"]).lower()
    regimes = {cas["attendu"]["regime"] for cas in CAS["cmg"]}

    assert regimes == {"reforme_2025", "ancien_bareme"}
    for mot in ["exemple publié par la caf", "plancher", "plafond horaire", "aeeh", "parent isolé", "3 ans", "6 ans"]:
        assert mot in noms, mot


def test_le_resultat_garde_les_valeurs_intermediaires_et_leurs_sources():
    resultat = calculer_cmg(
        famille=Famille(ressources_mensuelles=Decimal(3000), enfants_a_charge=1),
        garde=Garde(
            mois=date(2025, 9, 15), naissance=date(2024, 3, 15), heures=Decimal(125), salaire_horaire=Decimal("4.85")
        ),
    )

    assert resultat.mois == date(2025, 9, 1)
    assert resultat.reforme.taux_effort_pourcent == Decimal("0.0619")
    assert resultat.reforme.cout_horaire_reference == Decimal("4.85")
    assert resultat.reforme.effort_horaire == Decimal("1.857")
    assert resultat.reforme.ressources_retenues == Decimal(3000)
    assert resultat.cout_plafonne == Decimal("606.25")
    assert all(valeur.source for valeur in resultat.sources)


def test_un_mois_sans_bareme_connu_est_refuse_avec_un_message_francais():
    with pytest.raises(ParametresIndisponibles, match="qu'à partir du 1er avril 2024"):
        calculer_cmg(
            famille=Famille(ressources_mensuelles=Decimal(3000), enfants_a_charge=1),
            garde=Garde(
                mois=date(2023, 6, 1), naissance=date(2022, 1, 1), heures=Decimal(100), salaire_horaire=Decimal(4)
            ),
        )


def test_les_fichiers_de_parametres_du_projet_sont_valides():
    baremes = Baremes.depuis_dossier(DOSSIER_OFFICIEL)

    assert baremes.valeur("regimes", date(2025, 8, 31)).valeur == "ancien_bareme"
    assert baremes.valeur("regimes", date(2025, 9, 1)).valeur == "reforme_2025"
    assert officiels().premier_jour("regimes", "bmaf") == date(2024, 4, 1)


# --- Parameter files: a bad edit fails at load time -------------------------------------------


@pytest.fixture
def dossier(tmp_path):
    copie = tmp_path / "parametres"
    shutil.copytree(DOSSIER_OFFICIEL, copie)
    return copie


def _modifier(dossier, famille, changer):
    chemin = dossier / f"{famille}.json"
    contenu = json.loads(chemin.read_text(encoding="utf-8"))
    changer(contenu["periodes"])
    chemin.write_text(json.dumps(contenu, ensure_ascii=False), encoding="utf-8")


def test_ajouter_les_valeurs_de_l_annee_suivante_est_un_changement_de_donnees(dossier):
    def nouvelle_annee(periodes):
        periodes[-1]["fin"] = "2026-12-31"
        periodes.append({"debut": "2027-01-01", "fin": None, "valeur": 830, "source": "Barème Cnaf 2027"})

    _modifier(dossier, "ressources_plancher", nouvelle_annee)
    baremes = Baremes.depuis_dossier(dossier)

    assert baremes.valeur("ressources_plancher", date(2027, 3, 1)).valeur == 830
    assert baremes.valeur("ressources_plancher", date(2026, 12, 1)).valeur == Decimal("814.62")


def test_des_periodes_qui_se_chevauchent_sont_refusees(dossier):
    def chevauchement(periodes):
        periodes.append({"debut": "2026-06-01", "fin": None, "valeur": 9000, "source": "Saisie en double"})

    _modifier(dossier, "ressources_plafond", chevauchement)

    with pytest.raises(ParametresInvalides, match="chevauche"):
        Baremes.depuis_dossier(dossier)


@pytest.mark.parametrize(
    ("famille", "changer", "message"),
    [
        ("bmaf", lambda p: p[0].update(source=""), "source manquante"),
        ("bmaf", lambda p: p[0].update(fin="2020-01-01"), "avant le début"),
        ("bmaf", lambda p: p[0].update(debut="01/04/2024"), "date AAAA-MM-JJ"),
        ("bmaf", lambda p: p[0].update(valeur="466,44"), "nombre attendu"),
        ("regimes", lambda p: p[0].update(valeur="inconnu"), "régime inconnu"),
        ("cmg_reforme", lambda p: p[0]["valeur"].pop("plafond_horaire"), "clés manquantes"),
        ("cmg_reforme", lambda p: p[0]["valeur"].update(cout_horaire_reference=0), "ne peut pas être nul"),
        ("taux_effort", lambda p: p[0]["valeur"]["taux_par_enfants"][1].update(taux_pourcent=0.07), "augmenter"),
        ("cmg_ancien_plafonds", lambda p: p[0]["valeur"]["plafonds"].pop(1), "sans trou"),
    ],
)
def test_un_fichier_mal_forme_est_refuse_au_chargement(dossier, famille, changer, message):
    _modifier(dossier, famille, changer)

    with pytest.raises(ParametresInvalides, match=message):
        Baremes.depuis_dossier(dossier)


def test_un_fichier_manquant_est_refuse(dossier):
    (dossier / "bmaf.json").unlink()

    with pytest.raises(ParametresInvalides, match="manquant"):
        Baremes.depuis_dossier(dossier)
