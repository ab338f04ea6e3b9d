"""Properties of the CMG engine over any family, month and contract the simulator accepts."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tiers_payant.cmg import Famille, Garde, calculer_cmg, calculer_psu

mois = st.builds(lambda annee, m: date(annee, m, 1), st.integers(2024, 2027), st.integers(1, 12)).filter(
    lambda jour: jour >= date(2024, 4, 1)
)
montants = st.decimals(min_value=0, max_value=1_000_000, places=2)
familles = st.builds(
    Famille,
    ressources_mensuelles=montants,
    enfants_a_charge=st.integers(1, 12),
    parent_isole=st.booleans(),
    aeeh=st.booleans(),
    aah=st.booleans(),
)


@st.composite
def gardes(draw):
    debut = draw(mois)
    # From a newborn of the month of care to a 14-year-old: both sides of every age limit.
    naissance = debut + timedelta(days=27) - timedelta(days=draw(st.integers(0, 14 * 366)))
    return Garde(
        mois=debut,
        naissance=naissance,
        heures=draw(st.decimals(min_value="0.01", max_value=300, places=2)),
        salaire_horaire=draw(st.decimals(min_value=0, max_value=100, places=2)),
        indemnites=draw(st.decimals(min_value=0, max_value=2000, places=2)),
    )


@given(famille=familles, garde=gardes())
def test_le_cmg_n_est_jamais_negatif_ni_au_dessus_du_cout_plafonne(famille, garde):
    resultat = calculer_cmg(famille=famille, garde=garde)

    assert Decimal(0) <= resultat.cmg <= resultat.cout_plafonne <= resultat.cout_mensuel


@given(famille=familles, garde=gardes())
def test_le_reste_a_charge_est_le_cout_moins_le_cmg(famille, garde):
    resultat = calculer_cmg(famille=famille, garde=garde)

    assert resultat.reste_a_charge == resultat.cout_mensuel - resultat.cmg
    assert resultat.reste_a_charge >= 0


@given(famille=familles, garde=gardes(), autres_ressources=montants)
def test_le_cmg_ne_croit_pas_quand_les_ressources_augmentent(famille, garde, autres_ressources):
    bas, haut = sorted([famille.ressources_mensuelles, autres_ressources])
    plus_modeste = Famille(**{**famille.__dict__, "ressources_mensuelles": bas})
    plus_aisee = Famille(**{**famille.__dict__, "ressources_mensuelles": haut})

    assert calculer_cmg(famille=plus_modeste, garde=garde).cmg >= calculer_cmg(famille=plus_aisee, garde=garde).cmg


@given(famille=familles, garde=gardes(), autres_ressources=montants)
def test_le_tarif_de_creche_ne_baisse_pas_quand_les_ressources_augmentent(famille, garde, autres_ressources):
    bas, haut = sorted([famille.ressources_mensuelles, autres_ressources])
    tarif = {
        ressources: calculer_psu(
            mois=garde.mois,
            famille=Famille(**{**famille.__dict__, "ressources_mensuelles": ressources}),
            heures=garde.heures,
        )
        for ressources in (bas, haut)
    }

    assert Decimal(0) < tarif[bas].tarif_horaire <= tarif[haut].tarif_horaire
