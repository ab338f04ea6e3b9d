"""CMG and PSU engine: pure functions over dated parameters (see `baremes` and `parametres/`)."""

from tiers_payant.cmg.baremes import Baremes, ParametresIndisponibles, ParametresInvalides, officiels
from tiers_payant.cmg.moteur import (
    DetailAncien,
    DetailReforme,
    Famille,
    Garde,
    ResultatCmg,
    ResultatPsu,
    age_en_annees,
    calculer_cmg,
    calculer_psu,
    regime_du_mois,
)

__all__ = [
    "Baremes",
    "DetailAncien",
    "DetailReforme",
    "Famille",
    "Garde",
    "ParametresIndisponibles",
    "ParametresInvalides",
    "ResultatCmg",
    "ResultatPsu",
    "age_en_annees",
    "calculer_cmg",
    "calculer_psu",
    "officiels",
    "regime_du_mois",
]
