"""One function per indicator of circular C 2017-003 (CAF Touraine call for projects « Missions
supplémentaires RAM »), plus the indicators tracked outside the bonus: one module per mission (`mission_1`,
`mission_2`, `mission_3`), `hors_bonus` for the others, `communs` for what they share, `catalogue` for the list.

Every function takes relais ids and a calendar year N and returns, per relais, a `Resultat` (built by
`communs.resultat`, the only constructor): numerator and denominator with the ids of the records behind them,
the value, the target, whether it is met (True / False / None when undefined), and the inputs whose SHA-256 is
the fingerprint. Counting and filtering are SQL (aggregates, `Exists`, `percentile_cont`); Python only reads the
resulting id lists. The heavy indicators (over the requests) are one raw SQL query each for several relais,
grouped by relais: per request, index probes for its first action or closing date (computed once, in a
materialised CTE), then arrays of ids and of the fingerprint's inputs, dates formatted by PostgreSQL as
`empreinte` would.

Read-only: this package reads the other apps' models and writes nothing.
"""

from indicateurs.calculs.catalogue import (
    DEFINITIONS,
    INDICATEURS,
    PAR_CODE,
    REGLE_COMMUNE,
    Indicateur,
    calculer_tout,
    codes_de_la_mission,
)
from indicateurs.calculs.communs import (
    QUATRE_DECIMALES,
    STATUTS_ACTION_VERS_LA_FAMILLE,
    Resultat,
    _iso,
    au_moins,
    bornes,
    date_de_cloture_sql,
    date_de_reference,
    empreinte,
    iso_sql,
    jusqu_a,
    par_relais,
    premiere_action_sql,
    ratio,
    resultat,
)
from indicateurs.calculs.hors_bonus import (
    SEUIL_QF_BAS_REVENUS,
    bas_revenus_creche,
    besoins_non_satisfaits,
    delai_premier_rendez_vous,
    urgences_24h,
)
from indicateurs.calculs.mission_1 import Traitees, mission_1_demandes_en_ligne, premieres_actions
from indicateurs.calculs.mission_2 import mission_2a_entretiens, mission_2b_disponibilites
from indicateurs.calculs.mission_3 import mission_3a_departs_formation, mission_3b_accueil_alternatif

__all__ = [
    "DEFINITIONS",
    "INDICATEURS",
    "PAR_CODE",
    "QUATRE_DECIMALES",
    "REGLE_COMMUNE",
    "SEUIL_QF_BAS_REVENUS",
    "STATUTS_ACTION_VERS_LA_FAMILLE",
    "Indicateur",
    "Resultat",
    "Traitees",
    "_iso",
    "au_moins",
    "bas_revenus_creche",
    "besoins_non_satisfaits",
    "bornes",
    "calculer_tout",
    "codes_de_la_mission",
    "date_de_cloture_sql",
    "date_de_reference",
    "delai_premier_rendez_vous",
    "empreinte",
    "iso_sql",
    "jusqu_a",
    "mission_1_demandes_en_ligne",
    "mission_2a_entretiens",
    "mission_2b_disponibilites",
    "mission_3a_departs_formation",
    "mission_3b_accueil_alternatif",
    "par_relais",
    "premiere_action_sql",
    "premieres_actions",
    "ratio",
    "resultat",
    "urgences_24h",
]
