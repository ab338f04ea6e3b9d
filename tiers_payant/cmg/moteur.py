"""CMG (childminder, direct employment) and PSU (crèche) computations: pure functions, no database.

Every figure comes from the dated parameters in `parametres/`; the functions only hold the
shape of the rules. Amounts are exact `Decimal`s until the end, then rounded to the cent.

Choices made where the texts leave room, shown to the user as well:
- age conditions are assessed on the first day of the month of care, in completed years
  (a child turning 6 on the 15th still counts as under 6 for that month);
- "monthly resources" are the CAF's: annual resources of year N-2 divided by 12; the former
  scale compares them ×12 with its annual ceilings;
- the monthly cost is the net salary plus the maintenance and meal allowances (both rule sets
  count the allowances: art. D. 531-18 1° for the reform, 85 % of "salaire net et indemnités"
  for the former scale).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tiers_payant.cmg.baremes import Baremes, Valeur, officiels

CENT = Decimal("0.01")
ZERO = Decimal(0)
UN = Decimal(1)
CENT_POUR_CENT = Decimal(100)
DOUZE = Decimal(12)


def arrondi(montant: Decimal) -> Decimal:
    return montant.quantize(CENT, rounding=ROUND_HALF_UP)


def premier_du_mois(jour: date) -> date:
    return jour.replace(day=1)


def age_en_annees(naissance: date, jour: date) -> int:
    """Completed years on `jour` (0 for a child not yet born)."""
    if naissance > jour:
        return 0
    return jour.year - naissance.year - ((jour.month, jour.day) < (naissance.month, naissance.day))


@dataclass(frozen=True)
class Famille:
    ressources_mensuelles: Decimal
    enfants_a_charge: int  # the child in care included, so at least 1
    parent_isole: bool = False
    aeeh: bool = False  # a child of the household receives the AEEH
    aah: bool = False  # a parent receives the AAH

    def __post_init__(self):
        if self.enfants_a_charge < 1:
            raise ValueError("enfants_a_charge must be at least 1: the child in care is a dependent child")
        if self.ressources_mensuelles < 0:
            raise ValueError("ressources_mensuelles must not be negative")


@dataclass(frozen=True)
class Garde:
    mois: date  # any day of the month of care
    naissance: date  # child's birth date
    heures: Decimal  # hours paid in the month
    salaire_horaire: Decimal  # net hourly wage
    indemnites: Decimal = ZERO  # maintenance and meal allowances of the month, in euros

    def __post_init__(self):
        if self.heures <= 0 or self.salaire_horaire < 0 or self.indemnites < 0:
            raise ValueError("hours must be positive, wage and allowances not negative")


@dataclass(frozen=True)
class DetailReforme:
    plafond_horaire: Decimal
    plafond_mensuel: Decimal  # hours × hourly cap
    cout_horaire: Decimal  # monthly cost / hours
    plancher: Decimal
    plafond: Decimal
    ressources_retenues: Decimal
    enfants_pour_le_taux: int  # one more with AEEH: the next lower rate
    taux_effort_pourcent: Decimal
    effort_horaire: Decimal  # bounded resources × effort rate, in euros per hour
    cout_horaire_reference: Decimal
    coefficient: Decimal  # max(0, 1 − effort / reference cost)
    age_limite: int


@dataclass(frozen=True)
class DetailAncien:
    ressources_annuelles: Decimal
    premier_plafond: Decimal
    second_plafond: Decimal
    plafonds_majores: bool  # single parent: ceilings raised
    tranche: int  # 1, 2 or 3
    bmaf: Decimal
    coefficient_bmaf: Decimal
    montant_de_base: Decimal  # BMAF × coefficient
    taux_reduit: bool  # child aged 3 to 6
    coefficient_age: Decimal  # 1, or e.g. 0.5 from 3 to 6 years
    majoration: Decimal  # 0 or e.g. 0.30
    montant_maximal: Decimal
    prise_en_charge_maximale: Decimal  # e.g. 0.85
    limite_cout: Decimal  # 85 % of the monthly cost
    age_limite: int
    age_taux_reduit: int

    # Percentages for display.
    @property
    def coefficient_bmaf_pourcent(self) -> Decimal:
        return self.coefficient_bmaf * CENT_POUR_CENT

    @property
    def majoration_pourcent(self) -> Decimal:
        return self.majoration * CENT_POUR_CENT

    @property
    def prise_en_charge_pourcent(self) -> Decimal:
        return self.prise_en_charge_maximale * CENT_POUR_CENT


@dataclass(frozen=True)
class ResultatCmg:
    regime: str  # "reforme_2025" or "ancien_bareme"
    mois: date
    age_enfant: int
    eligible: bool
    motif: str  # why not eligible, in French; empty when eligible
    heures: Decimal
    salaire_horaire: Decimal
    salaire_mensuel: Decimal
    indemnites: Decimal
    cout_mensuel: Decimal  # salary + allowances, to the cent
    cout_plafonne: Decimal  # the part of the cost the CMG may cover, to the cent
    cmg: Decimal  # to the cent
    reste_a_charge: Decimal  # cout_mensuel − cmg
    reforme: DetailReforme | None
    ancien: DetailAncien | None
    sources: tuple[Valeur, ...]


@dataclass(frozen=True)
class ResultatPsu:
    mois: date
    heures: Decimal
    plancher: Decimal
    plafond: Decimal
    ressources_retenues: Decimal
    enfants_pour_le_taux: int
    taux_effort_pourcent: Decimal
    tarif_horaire: Decimal  # to the cent, as crèches bill it
    montant_mensuel: Decimal  # tarif_horaire × hours, to the cent
    sources: tuple[Valeur, ...]


def _taux_effort_pourcent(taux: Valeur, enfants: int) -> Decimal:
    retenu = taux.valeur[0][1]
    for a_partir_de, taux_pourcent in taux.valeur:
        if enfants >= a_partir_de:
            retenu = taux_pourcent
    return retenu


def _bornees(ressources: Decimal, plancher: Decimal, plafond: Decimal) -> Decimal:
    return min(max(ressources, plancher), plafond)


def regime_du_mois(mois: date, baremes: Baremes | None = None) -> str:
    return (baremes or officiels()).valeur("regimes", premier_du_mois(mois)).valeur


def calculer_cmg(*, famille: Famille, garde: Garde, baremes: Baremes | None = None) -> ResultatCmg:
    """CMG for one child cared for by a directly employed childminder during one month."""
    baremes = baremes or officiels()
    mois = premier_du_mois(garde.mois)
    regime = baremes.valeur("regimes", mois)
    if regime.valeur == "reforme_2025":
        return _reforme_2025(famille, garde, mois, baremes, regime)
    return _ancien_bareme(famille, garde, mois, baremes, regime)


def _couts(garde: Garde) -> tuple[Decimal, Decimal]:
    salaire = garde.heures * garde.salaire_horaire
    return salaire, salaire + garde.indemnites


def _resultat(
    *,
    garde: Garde,
    mois: date,
    regime: Valeur,
    age: int,
    motif: str,
    cout_plafonne: Decimal,
    cmg_exact: Decimal,
    **detail,
) -> ResultatCmg:
    """Rounds to the cent once, at the end; a child out of the age limits gets no CMG."""
    salaire, cout = _couts(garde)
    cmg = arrondi(cmg_exact) if not motif else ZERO
    cout_arrondi = arrondi(cout)
    return ResultatCmg(
        regime=regime.valeur,
        mois=mois,
        age_enfant=age,
        eligible=not motif,
        motif=motif,
        heures=garde.heures,
        salaire_horaire=garde.salaire_horaire,
        salaire_mensuel=arrondi(salaire),
        indemnites=arrondi(garde.indemnites),
        cout_mensuel=cout_arrondi,
        cout_plafonne=arrondi(cout_plafonne),
        cmg=cmg,
        reste_a_charge=cout_arrondi - cmg,
        **detail,
    )


def _reforme_2025(famille: Famille, garde: Garde, mois: date, baremes: Baremes, regime: Valeur) -> ResultatCmg:
    parametres = baremes.valeur("cmg_reforme", mois)
    plancher = baremes.valeur("ressources_plancher", mois)
    plafond = baremes.valeur("ressources_plafond", mois)
    taux = baremes.valeur("taux_effort", mois)
    p = parametres.valeur

    age = age_en_annees(garde.naissance, mois)
    age_limite = p["age_limite_parent_isole"] if famille.parent_isole else p["age_limite"]
    motif = ""
    if age >= age_limite:
        motif = f"L'enfant a {age} ans au début du mois : le CMG s'arrête à {age_limite} ans."
        if not famille.parent_isole and p["age_limite_parent_isole"] > age_limite:
            motif += f" Pour un parent isolé, il est versé jusqu'aux {p['age_limite_parent_isole']} ans de l'enfant."

    _, cout = _couts(garde)
    plafond_mensuel = garde.heures * p["plafond_horaire"]
    cout_plafonne = min(cout, plafond_mensuel)
    ressources = _bornees(famille.ressources_mensuelles, plancher.valeur, plafond.valeur)
    enfants_pour_le_taux = famille.enfants_a_charge + (1 if famille.aeeh else 0)
    taux_pourcent = _taux_effort_pourcent(taux, enfants_pour_le_taux)
    effort_horaire = ressources * taux_pourcent / CENT_POUR_CENT
    coefficient = max(ZERO, UN - effort_horaire / p["cout_horaire_reference"])
    # Multiply before dividing so that exact cases stay exact (CAF example: 374.125 → 374.13).
    participation = cout_plafonne * effort_horaire / p["cout_horaire_reference"]

    return _resultat(
        garde=garde,
        mois=mois,
        regime=regime,
        age=age,
        motif=motif,
        cout_plafonne=cout_plafonne,
        cmg_exact=max(ZERO, cout_plafonne - participation),
        reforme=DetailReforme(
            plafond_horaire=p["plafond_horaire"],
            plafond_mensuel=arrondi(plafond_mensuel),
            cout_horaire=cout / garde.heures,
            plancher=plancher.valeur,
            plafond=plafond.valeur,
            ressources_retenues=ressources,
            enfants_pour_le_taux=enfants_pour_le_taux,
            taux_effort_pourcent=taux_pourcent,
            effort_horaire=effort_horaire,
            cout_horaire_reference=p["cout_horaire_reference"],
            coefficient=coefficient,
            age_limite=age_limite,
        ),
        ancien=None,
        sources=(regime, parametres, taux, plancher, plafond),
    )


def _plafonds_annuels(plafonds: Valeur, enfants: int) -> tuple[Decimal, Decimal]:
    table, (sup_premier, sup_second) = plafonds.valeur["plafonds"], plafonds.valeur["par_enfant_supplementaire"]
    dernier = max(table)
    premier, second = table[min(enfants, dernier)]
    extra = max(0, enfants - dernier)
    return premier + extra * sup_premier, second + extra * sup_second


def _ancien_bareme(famille: Famille, garde: Garde, mois: date, baremes: Baremes, regime: Valeur) -> ResultatCmg:
    parametres = baremes.valeur("cmg_ancien_bareme", mois)
    plafonds = baremes.valeur("cmg_ancien_plafonds", mois)
    bmaf = baremes.valeur("bmaf", mois)
    p = parametres.valeur

    age = age_en_annees(garde.naissance, mois)
    motif = ""
    if age >= p["age_limite"]:
        motif = f"L'enfant a {age} ans au début du mois : le CMG s'arrête à {p['age_limite']} ans."

    ressources_annuelles = famille.ressources_mensuelles * DOUZE
    premier, second = _plafonds_annuels(plafonds, famille.enfants_a_charge)
    if famille.parent_isole:
        premier *= UN + p["majoration_plafonds_parent_isole"]
        second *= UN + p["majoration_plafonds_parent_isole"]
    tranche = 1 if ressources_annuelles <= premier else 2 if ressources_annuelles <= second else 3

    coefficient = p["coefficients_bmaf"][tranche - 1]
    montant_de_base = bmaf.valeur * coefficient
    taux_reduit = age >= p["age_taux_reduit"]
    coefficient_age = p["coefficient_taux_reduit"] if taux_reduit else UN
    montant = montant_de_base * coefficient_age
    majore = famille.parent_isole or famille.aah or famille.aeeh
    majoration = p["majoration_parent_isole_aah_aeeh"] if majore else ZERO
    montant_maximal = montant * (UN + majoration)

    _, cout = _couts(garde)
    limite_cout = cout * p["prise_en_charge_maximale"]

    return _resultat(
        garde=garde,
        mois=mois,
        regime=regime,
        age=age,
        motif=motif,
        cout_plafonne=cout,
        cmg_exact=min(montant_maximal, limite_cout),
        reforme=None,
        ancien=DetailAncien(
            ressources_annuelles=ressources_annuelles,
            premier_plafond=premier,
            second_plafond=second,
            plafonds_majores=famille.parent_isole,
            tranche=tranche,
            bmaf=bmaf.valeur,
            coefficient_bmaf=coefficient,
            montant_de_base=arrondi(montant_de_base),
            taux_reduit=taux_reduit,
            coefficient_age=coefficient_age,
            majoration=majoration,
            montant_maximal=arrondi(montant_maximal),
            prise_en_charge_maximale=p["prise_en_charge_maximale"],
            limite_cout=arrondi(limite_cout),
            age_limite=p["age_limite"],
            age_taux_reduit=p["age_taux_reduit"],
        ),
        sources=(regime, parametres, plafonds, bmaf),
    )


def calculer_psu(*, mois: date, famille: Famille, heures: Decimal, baremes: Baremes | None = None) -> ResultatPsu:
    """Crèche fee under the national PSU scale for the same hours, for comparison."""
    baremes = baremes or officiels()
    mois = premier_du_mois(mois)
    plancher = baremes.valeur("ressources_plancher", mois)
    plafond = baremes.valeur("ressources_plafond", mois)
    taux = baremes.valeur("taux_effort", mois)

    ressources = _bornees(famille.ressources_mensuelles, plancher.valeur, plafond.valeur)
    enfants_pour_le_taux = famille.enfants_a_charge + (1 if famille.aeeh else 0)
    taux_pourcent = _taux_effort_pourcent(taux, enfants_pour_le_taux)
    tarif_horaire = arrondi(ressources * taux_pourcent / CENT_POUR_CENT)
    return ResultatPsu(
        mois=mois,
        heures=heures,
        plancher=plancher.valeur,
        plafond=plafond.valeur,
        ressources_retenues=ressources,
        enfants_pour_le_taux=enfants_pour_le_taux,
        taux_effort_pourcent=taux_pourcent,
        tarif_horaire=tarif_horaire,
        montant_mensuel=arrondi(tarif_horaire * heures),
        sources=(taux, plancher, plafond),
    )
