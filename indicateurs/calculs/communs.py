"""What every indicator shares: the result (`Resultat`, built by `resultat` only), its fingerprint, the year's
bounds, ratios and targets, the SQL pieces over the requests, and the grouping by relais."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, wraps

from django.db import connection
from django.utils import timezone

from demandes.models import Demande, HistoriqueDemande, Proposition, RendezVous, Statut
from relais.models import Relais

QUATRE_DECIMALES = Decimal("0.0001")
# Status changes that are an action of the relais towards the family (mission 1, urgent needs).
STATUTS_ACTION_VERS_LA_FAMILLE = (
    Statut.RDV_PROPOSE,
    Statut.PROPOSITIONS_FAITES,
    Statut.SOLUTION_TROUVEE,
    Statut.SANS_SOLUTION,
)


@dataclass(frozen=True)
class Resultat:
    code: str
    numerateur: int
    denominateur: int | None
    valeur: Decimal | None
    cible: Decimal | None
    atteint: bool | None
    ids_numerateur: list[int]
    ids_denominateur: list[int]
    entrees: dict = field(repr=False)
    detail: dict = field(default_factory=dict)

    @cached_property
    def empreinte(self) -> str:
        # Cached: the snapshot and the fingerprint of the whole computation both read it.
        return empreinte({"code": self.code, "entrees": self.entrees})


def empreinte(donnees) -> str:
    """SHA-256 of a canonical JSON (sorted keys, no spaces, ISO dates): same inputs, same fingerprint."""
    texte = json.dumps(donnees, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=_iso)
    return hashlib.sha256(texte.encode()).hexdigest()


def _iso(valeur):
    if isinstance(valeur, datetime):
        return valeur.astimezone(UTC).isoformat()
    if isinstance(valeur, date | Decimal):
        return str(valeur)
    raise TypeError(type(valeur))


def bornes(annee: int) -> tuple[datetime, datetime]:
    """1 January 00:00 of N to 1 January 00:00 of N+1, local time (Europe/Paris)."""
    tz = timezone.get_current_timezone()
    return datetime(annee, 1, 1, tzinfo=tz), datetime(annee + 1, 1, 1, tzinfo=tz)


def jusqu_a(fin: datetime) -> datetime:
    """The upper bound actually read: the end of the period, or now for the running year. A record dated in the
    future (a typo, an import, a clock ahead) never counts, whatever the indicator."""
    return min(fin, timezone.now())


def ratio(numerateur: int, denominateur: int | None) -> Decimal | None:
    if not denominateur:
        return None
    return (Decimal(numerateur) / Decimal(denominateur)).quantize(QUATRE_DECIMALES, ROUND_HALF_UP)


def au_moins(numerateur: int, denominateur: int, pourcent: int) -> bool | None:
    """numerator / denominator ≥ pourcent %, in integers (no rounding); undefined when the denominator is 0."""
    if not denominateur:
        return None
    return numerateur * 100 >= denominateur * pourcent


# Defaults of `resultat` that depend on the counts.
_RAPPORT = object()
_SELON_LA_CIBLE = object()


def resultat(
    code: str,
    ids_numerateur: list[int],
    ids_denominateur: list[int],
    *,
    entrees: dict,
    pourcent: int | None = None,
    atteint=_SELON_LA_CIBLE,
    valeur=_RAPPORT,
    detail: dict | None = None,
) -> Resultat:
    """The one way an indicator builds its result. The counts are the id lists' lengths; the value is numerator /
    denominator unless the indicator gives its own (a median, a count). With `pourcent`, the target as a share of
    the denominator (50 for « at least 50 % », 120 for a 20 % progression): the target reads as a ratio and is met
    when numerator / denominator reaches it, in integers (`au_moins`), unless the indicator decides (`atteint`).
    Without a target, met is undefined."""
    numerateur, denominateur = len(ids_numerateur), len(ids_denominateur)
    if atteint is _SELON_LA_CIBLE:
        atteint = None if pourcent is None else au_moins(numerateur, denominateur, pourcent)
    return Resultat(
        code=code,
        numerateur=numerateur,
        denominateur=denominateur,
        valeur=ratio(numerateur, denominateur) if valeur is _RAPPORT else valeur,
        cible=None if pourcent is None else (Decimal(pourcent) / 100).quantize(QUATRE_DECIMALES),
        atteint=atteint,
        ids_numerateur=ids_numerateur,
        ids_denominateur=ids_denominateur,
        entrees=entrees,
        detail=detail or {},
    )


def _sql(texte: str) -> str:
    """Table names from the models (so a rename follows); values always go as query parameters."""
    return texte.format(
        demande=Demande._meta.db_table,
        historique=HistoriqueDemande._meta.db_table,
        rdv=RendezVous._meta.db_table,
        proposition=Proposition._meta.db_table,
        relais=Relais._meta.db_table,
    )


def iso_sql(colonne: str) -> str:
    """A timestamptz as text exactly as `empreinte` writes a datetime (`_iso`: UTC, ISO 8601, microseconds only
    when not zero), NULL staying NULL: PostgreSQL formats the dates of the fingerprints, and the fingerprint is
    the one Python would compute from the datetimes, without converting 100 000 of them."""
    utc = f"({colonne} AT TIME ZONE 'UTC')"
    return (
        f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN to_char({utc}, 'US') = '000000' THEN '' ELSE to_char({utc}, '.US') END || '+00:00')"
    )


def premiere_action_sql() -> str:
    """The first RPE action towards request `d`'s family: the earliest of a status change to « rendez-vous
    proposé », « proposition(s) faite(s) », « solution trouvée » or « sans solution » (when reached
    directly), an appointment created, a proposal created. NULL when there is none. Taking a request
    in charge is internal to the relais and is not an action towards the family. PostgreSQL's LEAST
    ignores NULLs. Parameter `statuts`: `STATUTS_ACTION_VERS_LA_FAMILLE`.

    Three index probes per request (the history one answered from `historique_demande_vers_idx` alone): the cost
    follows the relais' own requests, not the size of the national tables."""
    return _sql(
        """LEAST(
            (SELECT MIN(h.created_at) FROM {historique} h WHERE h.demande_id = d.id AND h.vers = ANY(%(statuts)s)),
            (SELECT MIN(r.created_at) FROM {rdv} r WHERE r.demande_id = d.id),
            (SELECT MIN(p.created_at) FROM {proposition} p WHERE p.demande_id = d.id))"""
    )


def date_de_cloture_sql() -> str:
    """When request `d` reached its current status: first history row to that status, else `statut_modifie_at`
    (requests imported without history). One probe of `historique_demande_vers_idx`."""
    return _sql(
        "COALESCE((SELECT MIN(h.created_at) FROM {historique} h WHERE h.demande_id = d.id AND h.vers = d.statut),"
        " d.statut_modifie_at)"
    )


def par_relais(fonction: Callable[[int, int], "Resultat"]) -> Callable[[list[int], int], dict[int, "Resultat"]]:
    """For the light indicators (a few hundred rows per relais): one small query set per relais."""

    @wraps(fonction)
    def pour_plusieurs(relais_ids: list[int], annee: int) -> dict[int, Resultat]:
        return {relais_id: fonction(relais_id, annee) for relais_id in relais_ids}

    return pour_plusieurs


def _ids(queryset, champ: str = "pk") -> list[int]:
    return list(queryset.order_by(champ).values_list(champ, flat=True).distinct())


def _par_relais_sql(
    sql: str, parametres: dict, relais_ids: list[int], colonnes: list[str], autres: tuple[str, ...] = ()
) -> dict[int, tuple[list[int], list[int], dict]]:
    """Runs `sql`, grouped by relais, whose rows are: relais id, ids of the denominator and of the numerator
    (arrays ordered by id), one array per name of `colonnes` aligned with the denominator's ids (what the
    fingerprint needs), then one value per name of `autres` (e.g. a median). A relais without rows gets empty
    lists. Parameter `relais`: the relais ids."""
    vide = {"ids": [], **{c: [] for c in colonnes}, **dict.fromkeys(autres)}
    resultat = {relais_id: ([], [], vide) for relais_id in relais_ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, {"relais": list(relais_ids), **parametres})
        for relais_id, ids_den, ids_num, *valeurs in cursor.fetchall():
            entrees = {"ids": ids_den, **dict(zip([*colonnes, *autres], valeurs, strict=True))}
            resultat[relais_id] = (ids_den, ids_num or [], entrees)
    return resultat


def date_de_reference(annee: int, aujourd_hui: date | None = None) -> date:
    """31 December of N, or today for the running year."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    return min(date(annee, 12, 31), aujourd_hui)
