"""Eligibility: RSA or resources under the dated ceiling, commune in the territory, valid agrément.
Each refusal says why."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.tiers_payant.conftest import preparer, termes
from tests.tiers_payant.factories import premier_du_mois
from tiers_payant import services
from tiers_payant.models import Convention, ParametresEligibilite, Statut
from tiers_payant.selectors import verifier_eligibilite

pytestmark = pytest.mark.django_db


def _motifs(acteurs, **changes) -> list[str]:
    return verifier_eligibilite(Convention(**services.asdict_shallow(termes(acteurs, **changes)))).motifs


def test_le_plafond_par_defaut_est_celui_de_l_experimentation():
    parametres = ParametresEligibilite.en_vigueur(date(2026, 3, 1))

    # 29.25 % of the increased PAJE ceiling: 13 277 € for one child, + 1 885 € per extra child (Hérault).
    assert parametres.plafond_annuel(1) == Decimal(13277)
    assert parametres.plafond_annuel(2) == Decimal(13277 + 1885)
    assert parametres.plafond_annuel(3) == Decimal(13277 + 2 * 1885)


def test_une_famille_au_rsa_est_eligible_quelles_que_soient_ses_ressources(acteurs):
    assert _motifs(acteurs, rsa=True, ressources_mensuelles=Decimal(3000)) == []


def test_sous_le_plafond_sans_rsa_la_famille_est_eligible_plafond_inclus(acteurs):
    # 13 277 € a year is 1 106.42 € a month: 1 106.41 × 12 = 13 276.92 €.
    assert _motifs(acteurs, rsa=False, ressources_mensuelles=Decimal("1106.41")) == []


def test_au_dessus_du_plafond_sans_rsa_le_refus_donne_les_chiffres(acteurs):
    motifs = _motifs(acteurs, rsa=False, ressources_mensuelles=Decimal(1200))

    assert motifs == [
        "Les ressources annuelles du foyer (14 400,00 €) dépassent le plafond de 13 277 € pour 1 enfant à charge "
        "(29,25 % du plafond majoré de la PAJE), et le foyer ne perçoit pas le RSA."
    ]


def test_le_plafond_augmente_avec_les_enfants_a_charge(acteurs):
    assert _motifs(acteurs, rsa=False, ressources_mensuelles=Decimal(1200), enfants_a_charge=2) == []


def test_le_plafond_est_date_une_nouvelle_periode_s_applique_a_partir_de_son_debut(acteurs):
    ParametresEligibilite.en_vigueur(date(2026, 1, 1))  # the default row
    ParametresEligibilite.objects.create(
        debut=date(2030, 1, 1),
        plafond_paje_majore=Decimal(60000),
        majoration_par_enfant=Decimal(7000),
        source="Valeur de test",
    )
    riche = {"rsa": False, "ressources_mensuelles": Decimal(1400)}  # 16 800 € a year

    assert _motifs(acteurs, date_debut=date(2029, 12, 1), **riche) != []
    assert _motifs(acteurs, date_debut=date(2030, 1, 1), **riche) == []  # 29.25 % × 60 000 = 17 550 €


def test_une_commune_hors_du_territoire_du_relais_est_refusee(acteurs):
    motifs = _motifs(acteurs, commune_famille=acteurs.autre_commune)

    assert motifs == ["La commune de la famille, Ailleurs-sur-Mer, n'est pas dans le territoire du RPE des Garrigues."]


def test_un_agrement_expire_a_la_date_de_debut_est_refuse(acteurs):
    debut = premier_du_mois()
    agrement = acteurs.assmat.agrement
    agrement.date_fin_validite = debut - timedelta(days=1)
    agrement.save()

    motifs = _motifs(acteurs, date_debut=debut)

    assert motifs == [
        f"L'agrément n° {agrement.numero} de Sylvie Nounou n'est pas valide à la date de début, le "
        f"{debut:%d/%m/%Y} (valable du {agrement.date_delivrance:%d/%m/%Y} au {agrement.date_fin_validite:%d/%m/%Y})."
    ]


def test_sans_agrement_ni_compte_chaque_motif_est_liste(acteurs):
    acteurs.assmat.agrement.delete()
    acteurs.assmat.refresh_from_db()
    acteurs.assmat.user = None
    acteurs.assmat.save()

    motifs = _motifs(acteurs, rsa=False, ressources_mensuelles=Decimal(2000), commune_famille=acteurs.autre_commune)

    assert len(motifs) == 4
    assert motifs[0].startswith("Les ressources annuelles du foyer (24 000,00 €)")
    assert motifs[1].startswith("La commune de la famille")
    assert motifs[2] == "Sylvie Nounou n'a pas d'agrément enregistré."
    assert "n'a pas de compte sur le portail" in motifs[3]


def test_l_envoi_d_une_convention_ineligible_est_refuse_avec_les_motifs(acteurs):
    convention = preparer(
        acteurs, rsa=False, ressources_mensuelles=Decimal(1200), commune_famille=acteurs.autre_commune
    )

    with pytest.raises(services.ConventionIneligible) as refus:
        services.envoyer_pour_signature(convention_id=convention.pk, par=acteurs.animatrice)

    assert len(refus.value.motifs) == 2
    convention.refresh_from_db()
    assert convention.statut == Statut.BROUILLON
    assert not convention.documents.exists()
