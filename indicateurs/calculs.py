"""One function per indicator of circular C 2017-003 (CAF Touraine call for projects « Missions
supplémentaires RAM »), plus the indicators tracked outside the bonus.

Every function takes a relais id and a calendar year N and returns a `Resultat`: numerator and
denominator with the ids of the records behind them, the value, the target, whether it is met
(True / False / None when undefined), and the inputs whose SHA-256 is the fingerprint. Counting and
filtering are SQL (aggregates, `Exists`, `percentile_cont`); Python only reads the resulting id lists. The
heavy indicators (over the requests) are one raw SQL query each for several relais, grouped by relais: per
request, index probes for its first action or closing date (computed once, in a materialised CTE), then arrays
of ids and of the fingerprint's inputs, dates formatted by PostgreSQL as `empreinte` would.

Read-only: this module reads the other apps' models and writes nothing.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, wraps

from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from assmats import selectors as offre
from assmats.models import (
    AssistantMaternel,
    Entretien,
    ParametresOffre,
    SignalementSousActivite,
)
from demandes.models import Demande, HistoriqueDemande, Mode, Proposition, RendezVous, Statut, TrancheQf
from formation.models import DemandeAccueilAlternatif, Inscription, PropositionAccueilAlternatif
from relais.models import Relais

QUATRE_DECIMALES = Decimal("0.0001")
SEUIL_QF_BAS_REVENUS = 700
# Status changes that are an action of the relais towards the family (mission 1).
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


@dataclass(frozen=True)
class Traitees:
    """The requests of a relais whose first action falls in N-1 or N: ids and first action (µs since the epoch)
    ordered by id, the ids of each year, and the counts per month of each year."""

    ids: list[int]
    actions_us: list[int]
    ids_n: list[int]
    ids_precedente: list[int]
    par_mois: list[int]
    par_mois_precedent: list[int]


def premieres_actions(relais_ids: list[int], annee: int) -> dict[int, Traitees]:
    """Per relais, its online requests processed in N-1 or N (first action, as `premiere_action_sql`, in
    [1 January N-1, 1 January N+1) local time, and not after now). Only requests filed on or after the opening of
    the relais' online service (`Relais.date_ouverture_guichet`, from 0:00 local time) are online requests: none
    for a relais not open yet; a request the relais typed for a family (phone, desk: `Demande.source`) is not.
    One SQL query: the first action of each request of the relais is computed once
    (materialised), then grouped by relais into id arrays, and by relais and month for the counts (at most 24
    (month, count) pairs per relais, so Python only places 24 numbers); integers, not datetimes."""
    debut, _fin = bornes(annee - 1)
    _debut, fin = bornes(annee)
    fin = jusqu_a(fin)
    sql = _sql(
        f"""
        WITH a AS MATERIALIZED (
            SELECT d.relais_id, d.id, {premiere_action_sql()} AS le
              FROM {{demande}} d JOIN {{relais}} r ON r.id = d.relais_id
             WHERE d.relais_id = ANY(%(relais)s::bigint[]) AND d.date_depot <= %(fin)s
               AND d.date_depot >= (r.date_ouverture_guichet::timestamp AT TIME ZONE %(tz)s)
               AND d.source = 'en_ligne'
        ), t AS MATERIALIZED (
            SELECT relais_id, id, (EXTRACT(EPOCH FROM le) * 1000000)::bigint AS us,
                   date_part('year', le AT TIME ZONE %(tz)s)::int = %(annee)s AS en_n,
                   date_part('month', le AT TIME ZONE %(tz)s)::int AS mois
              FROM a WHERE le >= %(debut)s AND le < %(fin)s
        ), comptes AS (
            -- rang 0-11: months of N-1, 12-23: months of N
            SELECT relais_id, array_agg(rang) AS rangs, array_agg(nombre) AS nombres
              FROM (SELECT relais_id, en_n::int * 12 + mois - 1 AS rang, count(*) AS nombre FROM t GROUP BY 1, 2) m
             GROUP BY relais_id
        )
        SELECT g.*, comptes.rangs, comptes.nombres
          FROM (
            SELECT relais_id, array_agg(id ORDER BY id) AS ids, array_agg(us ORDER BY id) AS us,
                   array_agg(id ORDER BY id) FILTER (WHERE en_n) AS ids_n,
                   array_agg(id ORDER BY id) FILTER (WHERE NOT en_n) AS ids_precedente
              FROM t GROUP BY relais_id
          ) g JOIN comptes USING (relais_id)
        """  # noqa: S608 - table names come from the models, values are parameters
    )
    parametres = {
        "relais": list(relais_ids),
        "statuts": list(STATUTS_ACTION_VERS_LA_FAMILLE),
        "debut": debut,
        "fin": fin,
        "annee": annee,
        "tz": timezone.get_current_timezone_name(),
    }
    resultat = {relais_id: Traitees([], [], [], [], [0] * 12, [0] * 12) for relais_id in relais_ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, parametres)
        for relais_id, ids, actions_us, ids_n, ids_precedente, rangs, nombres in cursor.fetchall():
            par_rang = [0] * 24
            for rang, nombre in zip(rangs, nombres, strict=True):
                par_rang[rang] = nombre
            resultat[relais_id] = Traitees(
                ids, actions_us, ids_n or [], ids_precedente or [], par_rang[12:], par_rang[:12]
            )
    return resultat


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


# --- Mission 1 ------------------------------------------------------------------------------------------------


def mission_1_demandes_en_ligne(relais_ids: list[int], annee: int) -> dict[int, Resultat]:
    """Mission 1 — « Le traitement des demandes d'accueil en ligne via le site mon-enfant.fr ».

    Circular: « ouverture du service en ligne et mission de "guichet unique" confiée au Ram qui n'en
    ont pas ; progression de 20 % du nombre de demandes d'accueil en ligne traitées pour ceux qui ont
    déjà ouvert ce service. »

    Definition: met if `Relais.date_ouverture_guichet` falls in N (and not after the reference date: today for the
    running year). Otherwise, for a relais opened before N, met when processed(N) ≥ 1.20 × processed(N-1);
    undefined (not met) when processed(N-1) = 0. A relais whose service is not open at the reference date does
    not meet it and counts 0 online requests. An online request is a request of the portal filed on or after
    the opening of the relais' online service (0:00 local time of `date_ouverture_guichet`): a request filed
    before cannot have been processed online, whatever its later actions. A request counts as processed in the
    year of its first RPE action towards the family (`premiere_action_sql`: appointment proposed, proposal,
    solution or « sans solution »), once, for the relais it belongs to now. A request withdrawn before any
    action is never processed. Nothing dated after now counts.

    Numerator: requests processed in N; denominator: requests processed in N-1; value: their ratio.
    """
    actions = premieres_actions(relais_ids, annee)
    ouvertures = dict(Relais.objects.filter(pk__in=relais_ids).values_list("pk", "date_ouverture_guichet"))
    return {relais_id: _mission_1(annee, actions[relais_id], ouvertures[relais_id]) for relais_id in relais_ids}


def _mission_1(annee: int, traitees: Traitees, ouverture: date | None) -> Resultat:
    ids_n, ids_prec = traitees.ids_n, traitees.ids_precedente
    # Opened: on a date of N that is not after the reference date (an opening planned later in the running year
    # has not happened yet).
    ouvert_a_r = ouverture is not None and ouverture <= date_de_reference(annee)
    ouvert_en_n = ouvert_a_r and ouverture.year == annee
    if ouvert_en_n:
        atteint = True
    elif not ouvert_a_r:
        atteint = False
    else:
        atteint = au_moins(len(ids_n), len(ids_prec), 120)
    return Resultat(
        code="m1_demandes_en_ligne",
        numerateur=len(ids_n),
        denominateur=len(ids_prec),
        valeur=ratio(len(ids_n), len(ids_prec)),
        cible=Decimal("1.2000"),
        atteint=atteint,
        ids_numerateur=ids_n,
        ids_denominateur=ids_prec,
        entrees={"ouverture": ouverture, "traitees": list(zip(traitees.ids, traitees.actions_us, strict=True))},
        detail={
            "ouverture": ouverture.isoformat() if ouverture else None,
            "ouvert_en_n": ouvert_en_n,
            "pas_encore_ouvert": not ouvert_a_r,
            "par_mois": traitees.par_mois,
            "par_mois_precedent": traitees.par_mois_precedent,
        },
    )


# --- Mission 2 ------------------------------------------------------------------------------------------------


@par_relais
def mission_2a_entretiens(relais_id: int, annee: int) -> Resultat:
    """Mission 2 (a) — « Proposer des entretiens à (au moins) 50 % des assistants maternels ayant
    signalé leur sous activité au Ram ».

    Definition: denominator = distinct childminders of the territory (commune of their file today)
    who reported under-activity in N (`SignalementSousActivite.signale_le` in N); numerator = those
    of them offered at least one interview (individual or collective) on one of these reports, offered
    after the report (`Entretien.propose_le` ≥ `signale_le`, at any date up to the computation).
    A childminder who reported twice counts once. Target: ≥ 50 %; undefined when nobody reported.
    """
    debut, fin = bornes(annee)
    maintenant = timezone.now()
    signalements = SignalementSousActivite.objects.filter(
        assistant_maternel__commune__territoire__relais_id=relais_id,
        signale_le__gte=debut,
        signale_le__lt=jusqu_a(fin),
    )
    entretiens = Entretien.objects.filter(
        signalement__in=signalements, propose_le__gte=F("signalement__signale_le"), propose_le__lte=maintenant
    )
    ids_den = _ids(signalements, "assistant_maternel_id")
    ids_num = _ids(signalements.filter(Exists(entretiens.filter(signalement=OuterRef("pk")))), "assistant_maternel_id")
    return Resultat(
        code="m2a_entretiens",
        numerateur=len(ids_num),
        denominateur=len(ids_den),
        valeur=ratio(len(ids_num), len(ids_den)),
        cible=Decimal("0.5000"),
        atteint=au_moins(len(ids_num), len(ids_den), 50),
        ids_numerateur=ids_num,
        ids_denominateur=ids_den,
        entrees={
            "signalements": list(signalements.order_by("pk").values_list("pk", "assistant_maternel_id", "signale_le")),
            "entretiens": list(entretiens.order_by("pk").values_list("pk", "signalement_id", "propose_le")),
        },
    )


def date_de_reference(annee: int, aujourd_hui: date | None = None) -> date:
    """31 December of N, or today for the running year."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    return min(date(annee, 12, 31), aujourd_hui)


@par_relais
def mission_2b_disponibilites(relais_id: int, annee: int) -> Resultat:
    """Mission 2 (b) — « Atteindre 30 % de l'affichage des disponibilités des assistants maternels sur
    mon-enfant.fr ».

    Definition: at the reference date R (31 December of N, or today for the running year),
    denominator = childminders of the territory whose agrément is valid on R; numerator = those of them who
    consent to publication at the end of R — the consent after the last event of the display history
    (`assmats.HistoriqueAffichage`) dated before the end of R; no event, no consent — and who declared or
    confirmed their availability (a confirmation event) in the `ParametresOffre.mois_avant_peremption` months
    (3 by default) ending at the end of R. Target ≥ 30 %. Events after R (a later confirmation, a consent given
    or withdrawn later) do not change the figure of R.
    """
    reference = date_de_reference(annee)
    mois = ParametresOffre.objects.filter(pk=1).values_list("mois_avant_peremption", flat=True).first() or 3
    # Who displays is the offer's one definition, shared with the relais' list and reminders: they never disagree.
    territoire = offre.annoter_affichage(
        AssistantMaternel.objects.filter(commune__territoire__relais_id=relais_id).agrement_valide(reference),
        reference,
        mois,
    )
    affichees = territoire.filter(affichee=True)
    ids_den, ids_num = _ids(territoire), _ids(affichees)
    return Resultat(
        code="m2b_disponibilites",
        numerateur=len(ids_num),
        denominateur=len(ids_den),
        valeur=ratio(len(ids_num), len(ids_den)),
        cible=Decimal("0.3000"),
        atteint=au_moins(len(ids_num), len(ids_den), 30),
        ids_numerateur=ids_num,
        ids_denominateur=ids_den,
        entrees={
            "reference": reference,
            "mois": mois,
            # The state at R, from the history up to R: later events leave the fingerprint of R unchanged.
            "assmats": list(
                territoire.order_by("pk").values_list(
                    "pk", "affiche_au", "confirmee_au", "agrement__date_fin_validite"
                )
            ),
        },
        detail={"reference": reference.isoformat(), "mois_avant_peremption": mois},
    )


# --- Mission 3 ------------------------------------------------------------------------------------------------


def _departs(relais_id: int, annee: int):
    debut, fin = bornes(annee)
    return Inscription.objects.filter(
        grace_au_relais=True,
        partie_le__gte=debut,
        partie_le__lt=jusqu_a(fin),
        assistant_maternel__commune__territoire__relais_id=relais_id,
    )


@par_relais
def mission_3a_departs_formation(relais_id: int, annee: int) -> Resultat:
    """Mission 3 (a) — « Progression de 10 % des assistants maternels du territoire partis en formation
    continue grâce à l'action du Ram ».

    Definition: numerator = distinct childminders of the territory (commune of their file today) with an
    enrolment marked « grâce à l'action du relais » (`Inscription.grace_au_relais`) whose departure
    (`partie_le`) is in N — an enrolment cancelled before departure has no departure date and does not count;
    one the relais cancelled after departure (training interrupted) keeps its date and counts, as in
    `formation.selectors.mission_3`;
    denominator = the same count for N-1. Met when numerator ≥ 1.10 × denominator; undefined when N-1 is 0.
    A departure without the relais' help does not count.
    """
    courant, precedent = _departs(relais_id, annee), _departs(relais_id, annee - 1)
    ids_num, ids_den = _ids(courant, "assistant_maternel_id"), _ids(precedent, "assistant_maternel_id")
    return Resultat(
        code="m3a_departs_formation",
        numerateur=len(ids_num),
        denominateur=len(ids_den),
        valeur=ratio(len(ids_num), len(ids_den)),
        cible=Decimal("1.1000"),
        atteint=au_moins(len(ids_num), len(ids_den), 110),
        ids_numerateur=ids_num,
        ids_denominateur=ids_den,
        entrees={
            "departs": list(
                (courant | precedent).order_by("pk").values_list("pk", "assistant_maternel_id", "partie_le")
            )
        },
    )


@par_relais
def mission_3b_accueil_alternatif(relais_id: int, annee: int) -> Resultat:
    """Mission 3 (b) — « Proposer une solution de garde alternative à 80 % des parents qui en font la
    demande auprès du Ram ».

    Definition: denominator = alternative childcare requests received by the relais in N
    (`DemandeAccueilAlternatif.created_at` in N); numerator = those with at least one proposal
    (`PropositionAccueilAlternatif`, whatever the parent's answer). Target ≥ 80 %; undefined when none.
    """
    debut, fin = bornes(annee)
    demandes = DemandeAccueilAlternatif.objects.filter(
        relais_id=relais_id, created_at__gte=debut, created_at__lt=jusqu_a(fin)
    )
    propositions = PropositionAccueilAlternatif.objects.filter(demande__in=demandes, propose_le__lte=timezone.now())
    ids_den = _ids(demandes)
    ids_num = _ids(demandes.filter(Exists(propositions.filter(demande=OuterRef("pk")))))
    return Resultat(
        code="m3b_accueil_alternatif",
        numerateur=len(ids_num),
        denominateur=len(ids_den),
        valeur=ratio(len(ids_num), len(ids_den)),
        cible=Decimal("0.8000"),
        atteint=au_moins(len(ids_num), len(ids_den), 80),
        ids_numerateur=ids_num,
        ids_denominateur=ids_den,
        entrees={
            "demandes": list(demandes.order_by("pk").values_list("pk", "created_at")),
            "propositions": list(propositions.order_by("pk").values_list("pk", "demande_id", "propose_le")),
        },
    )


# --- Tracked outside the bonus ------------------------------------------------------------------------------


def bas_revenus_creche(relais_ids: list[int], annee: int) -> dict[int, Resultat]:
    """Share of low-income families among crèche solutions (target ≥ 10 %; not part of the bonus).

    Definition: denominator = requests of the relais closed « solution trouvée » in N (date of the first
    history row to that status) with a crèche / EAJE solution; numerator = those whose family receives the
    RSA or has a quotient familial under 700 € (the amount, or the « moins de 700 € » bracket when the
    amount is unknown).
    """
    debut, fin = bornes(annee)
    fin = jusqu_a(fin)
    sql = _sql(
        f"""
        WITH s AS MATERIALIZED (
            SELECT d.relais_id, d.id, d.rsa, d.quotient_familial, d.tranche_qf, {date_de_cloture_sql()} AS cloture
              FROM {{demande}} d
             WHERE d.relais_id = ANY(%(relais)s::bigint[]) AND d.statut = %(statut)s AND d.solution_mode = %(mode)s
        )
        SELECT relais_id, array_agg(id ORDER BY id),
               array_agg(id ORDER BY id) FILTER (
                   WHERE rsa OR quotient_familial < %(seuil)s
                      OR (quotient_familial IS NULL AND tranche_qf = %(tranche)s)
               ),
               array_agg({iso_sql("cloture")} ORDER BY id), array_agg(rsa ORDER BY id),
               array_agg(quotient_familial ORDER BY id), array_agg(tranche_qf ORDER BY id)
          FROM s WHERE cloture >= %(debut)s AND cloture < %(fin)s
         GROUP BY relais_id
        """  # noqa: S608 - table names come from the models, values are parameters
    )
    parametres = {
        "statut": Statut.SOLUTION_TROUVEE,
        "mode": Mode.CRECHE,
        "seuil": SEUIL_QF_BAS_REVENUS,
        "tranche": TrancheQf.MOINS_700,
        "debut": debut,
        "fin": fin,
    }
    groupes = _par_relais_sql(sql, parametres, relais_ids, ["cloture", "rsa", "quotient_familial", "tranche_qf"])
    resultats = {}
    for relais_id, (ids_den, ids_num, entrees) in groupes.items():
        resultats[relais_id] = Resultat(
            code="bas_revenus_creche",
            numerateur=len(ids_num),
            denominateur=len(ids_den),
            valeur=ratio(len(ids_num), len(ids_den)),
            cible=Decimal("0.1000"),
            atteint=au_moins(len(ids_num), len(ids_den), 10),
            ids_numerateur=ids_num,
            ids_denominateur=ids_den,
            entrees=entrees,
        )
    return resultats


def delai_premier_rendez_vous(relais_ids: list[int], annee: int) -> dict[int, Resultat]:
    """Median days from submission to first appointment (no target).

    Definition: requests of the relais submitted in N (`date_depot`); for those with at least one
    appointment, the delay is the first appointment's date and time (`RendezVous.debut`) minus the
    submission, in days; the value is its median (PostgreSQL `percentile_cont(0.5)`). An appointment dated
    after now (planned, not held yet) is not a first appointment yet, nor one cancelled or that the family missed
    (`RendezVous.statut`): the family was not met. Numerator: requests with an appointment; denominator: requests
    submitted in N.
    """
    debut, fin = bornes(annee)
    fin = jusqu_a(fin)
    sql = _sql(
        f"""
        WITH c AS MATERIALIZED (
            SELECT d.relais_id, d.id, d.date_depot,
                   (SELECT MIN(r.debut) FROM {{rdv}} r
                     WHERE r.demande_id = d.id AND r.debut <= %(maintenant)s
                       AND r.statut NOT IN ('annule', 'famille_absente')) AS premier_rdv
              FROM {{demande}} d
             WHERE d.relais_id = ANY(%(relais)s::bigint[]) AND d.date_depot >= %(debut)s AND d.date_depot < %(fin)s
        )
        SELECT relais_id, array_agg(id ORDER BY id), array_agg(id ORDER BY id) FILTER (WHERE premier_rdv IS NOT NULL),
               array_agg({iso_sql("date_depot")} ORDER BY id), array_agg({iso_sql("premier_rdv")} ORDER BY id),
               PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (premier_rdv - date_depot)))
          FROM c GROUP BY relais_id
        """  # noqa: S608 - table names come from the models, values are parameters
    )
    groupes = _par_relais_sql(
        sql,
        {"debut": debut, "fin": fin, "maintenant": timezone.now()},
        relais_ids,
        ["date_depot", "premier_rdv"],
        autres=("mediane",),
    )
    resultats = {}
    for relais_id, (ids_den, ids_num, entrees) in groupes.items():
        secondes = entrees["mediane"]
        resultats[relais_id] = Resultat(
            code="delai_premier_rdv",
            numerateur=len(ids_num),
            denominateur=len(ids_den),
            valeur=None if secondes is None else (Decimal(secondes) / 86400).quantize(QUATRE_DECIMALES, ROUND_HALF_UP),
            cible=None,
            atteint=None,
            ids_numerateur=ids_num,
            ids_denominateur=ids_den,
            entrees=entrees,
        )
    return resultats


def urgences_24h(relais_ids: list[int], annee: int) -> dict[int, Resultat]:
    """Share of urgent needs answered within 24 h (no target).

    Definition: denominator = urgent requests (`urgence`) of the relais submitted in N, except those the
    family withdrew within 24 h before any action; numerator = those whose first RPE action towards the
    family (`premiere_action_sql`, as for mission 1) came at most 24 h after submission.
    """
    debut, fin = bornes(annee)
    fin = jusqu_a(fin)
    sql = _sql(
        f"""
        WITH u AS MATERIALIZED (
            SELECT d.relais_id, d.id, d.date_depot, {premiere_action_sql()} AS action,
                   (SELECT MIN(h.created_at) FROM {{historique}} h
                     WHERE h.demande_id = d.id AND h.vers = %(retiree)s AND h.created_at <= %(maintenant)s) AS retrait
              FROM {{demande}} d
             WHERE d.relais_id = ANY(%(relais)s::bigint[]) AND d.urgence
               AND d.date_depot >= %(debut)s AND d.date_depot < %(fin)s
        )
        SELECT relais_id, array_agg(id ORDER BY id),
               array_agg(id ORDER BY id) FILTER (WHERE action <= date_depot + %(delai)s AND action <= %(maintenant)s),
               array_agg({iso_sql("date_depot")} ORDER BY id), array_agg({iso_sql("action")} ORDER BY id),
               array_agg({iso_sql("retrait")} ORDER BY id)
          FROM u
         WHERE NOT ((action IS NULL OR action > retrait) AND retrait IS NOT NULL AND retrait <= date_depot + %(delai)s)
         GROUP BY relais_id
        """  # noqa: S608 - table names come from the models, values are parameters
    )
    parametres = {
        "statuts": list(STATUTS_ACTION_VERS_LA_FAMILLE),
        "retiree": Statut.RETIREE,
        "debut": debut,
        "fin": fin,
        "maintenant": timezone.now(),
        "delai": timedelta(hours=24),
    }
    groupes = _par_relais_sql(sql, parametres, relais_ids, ["date_depot", "action", "retrait"])
    resultats = {}
    for relais_id, (ids_den, ids_num, entrees) in groupes.items():
        resultats[relais_id] = Resultat(
            code="urgences_24h",
            numerateur=len(ids_num),
            denominateur=len(ids_den),
            valeur=ratio(len(ids_num), len(ids_den)),
            cible=None,
            atteint=None,
            ids_numerateur=ids_num,
            ids_denominateur=ids_den,
            entrees=entrees,
        )
    return resultats


def besoins_non_satisfaits(relais_ids: list[int], annee: int) -> dict[int, Resultat]:
    """Unmet requests (no target): requests of the relais closed « sans solution » in N (date of the first
    history row to that status), out of the requests closed with or without a solution in N. The value is
    the count. The breakdown by commune, age band and schedule is the « besoins non satisfaits » page of the
    requests app."""
    debut, fin = bornes(annee)
    fin = jusqu_a(fin)
    sql = _sql(
        f"""
        WITH c AS MATERIALIZED (
            SELECT d.relais_id, d.id, d.statut, {date_de_cloture_sql()} AS cloture
              FROM {{demande}} d
             WHERE d.relais_id = ANY(%(relais)s::bigint[]) AND d.statut = ANY(%(statuts)s)
        )
        SELECT relais_id, array_agg(id ORDER BY id), array_agg(id ORDER BY id) FILTER (WHERE statut = %(sans)s),
               array_agg(statut ORDER BY id), array_agg({iso_sql("cloture")} ORDER BY id)
          FROM c WHERE cloture >= %(debut)s AND cloture < %(fin)s
         GROUP BY relais_id
        """  # noqa: S608 - table names come from the models, values are parameters
    )
    parametres = {
        "statuts": [Statut.SOLUTION_TROUVEE, Statut.SANS_SOLUTION],
        "sans": Statut.SANS_SOLUTION,
        "debut": debut,
        "fin": fin,
    }
    groupes = _par_relais_sql(sql, parametres, relais_ids, ["statut", "cloture"])
    resultats = {}
    for relais_id, (ids_den, ids_num, entrees) in groupes.items():
        resultats[relais_id] = Resultat(
            code="besoins_non_satisfaits",
            numerateur=len(ids_num),
            denominateur=len(ids_den),
            valeur=Decimal(len(ids_num)),
            cible=None,
            atteint=None,
            ids_numerateur=ids_num,
            ids_denominateur=ids_den,
            entrees=entrees,
        )
    return resultats


@dataclass(frozen=True)
class Indicateur:
    code: str
    mission: int | None
    libelle: str
    fonction: Callable[[list[int], int], dict[int, Resultat]]
    # "taux": value is a share (shown in %); "progression": ratio N / N-1; "jours"; "nombre".
    format: str
    # What a person reads in a column header or next to a count: a short name, then what the numerator and the
    # denominator count (for a median or a count they are not a fraction, so they are named, never divided).
    court: str = ""
    noms: tuple[str, str] = ("numérateur", "dénominateur")
    # The same for a count of 0 or 1 (« 1 demande close », never « 1 demandes closes »).
    noms_au_singulier: tuple[str, str] = ("numérateur", "dénominateur")

    def nombre_de(self, n: int, rang: int) -> str:
        """`n` with what it counts, agreed in number: rang 0 the numerator's, 1 the denominator's."""
        return f"{n} {(self.noms_au_singulier if n < 2 else self.noms)[rang]}"

    @property
    def est_un_rapport(self) -> bool:
        """A share or a progression: the only figures shown as numerator / denominator = value."""
        return self.format in ("taux", "progression")

    @property
    def definition(self) -> str:
        """What the relais and the CAF read (page and annual report): the French twin of the docstring."""
        return DEFINITIONS[self.code] + "\n" + REGLE_COMMUNE


# The exact rule of each indicator in French, as printed in the report a relais attaches to its application.
# Keep each in step with its function's docstring (tests/indicateurs/test_definitions.py checks both exist).
DEFINITIONS = {
    "m1_demandes_en_ligne": (
        'Circulaire : « ouverture du service en ligne et mission de "guichet unique" confiée au Ram qui n\'en '
        "ont pas ; progression de 20 % du nombre de demandes d'accueil en ligne traitées pour ceux qui ont déjà "
        "ouvert ce service. »\n"
        "Atteint si le service en ligne et le guichet unique ont été ouverts pendant l'année N (au plus tard à la "
        "date de référence). Pour un relais "
        "ouvert avant N : atteint si les demandes traitées en N sont au moins 1,20 fois celles traitées en N-1 ; "
        "non calculable (donc non atteint) si aucune demande n'a été traitée en N-1. Un relais dont le service "
        "n'est pas encore ouvert à la date de référence (31 décembre de N, ou aujourd'hui pour l'année en cours) ne "
        "l'atteint pas et compte 0 demande en ligne. Une demande en ligne est une demande du portail déposée le "
        "jour de l'ouverture du service en ligne du relais ou après : une demande déposée avant l'ouverture ne "
        "peut pas avoir été traitée en ligne et ne compte jamais, quelles que soient ses actions ultérieures ; une "
        "demande reçue par téléphone ou à l'accueil et saisie par le relais n'est pas une demande en ligne. Une "
        "demande est traitée l'année de la première action du relais envers la famille (rendez-vous proposé, "
        "proposition, solution ou clôture « sans solution »), une seule fois, pour le relais dont elle relève "
        "aujourd'hui. Une demande retirée avant toute action n'est jamais traitée.\n"
        "Numérateur : demandes traitées en N ; dénominateur : demandes traitées en N-1 ; valeur : leur rapport."
    ),
    "m2a_entretiens": (
        "Circulaire : « Proposer des entretiens à (au moins) 50 % des assistants maternels ayant signalé leur "
        "sous activité au Ram ».\n"
        "Dénominateur : assistants maternels du territoire (commune de leur fiche aujourd'hui) ayant signalé une "
        "sous-activité en N ; numérateur : ceux d'entre eux à qui au moins un entretien (individuel ou collectif) "
        "a été proposé sur l'un de ces signalements, après le signalement. Un assistant maternel qui a signalé "
        "deux fois compte une fois. Cible : au moins 50 % ; non calculable si personne n'a signalé."
    ),
    "m2b_disponibilites": (
        "Circulaire : « Atteindre 30 % de l'affichage des disponibilités des assistants maternels sur "
        "mon-enfant.fr ».\n"
        "À la date de référence R (31 décembre de N, ou aujourd'hui pour l'année en cours). Dénominateur : "
        "assistants maternels du territoire dont l'agrément est valide à R ; numérateur : ceux d'entre eux qui, à "
        "la fin de R, acceptent l'affichage (dernier état de leur historique d'affichage daté d'avant la fin de "
        "R) et ont déclaré ou confirmé leurs disponibilités dans les mois de validité d'une déclaration (3 par "
        "défaut) qui précèdent la fin de R. Ce qui se passe après R ne change pas le chiffre de R. Cible : au "
        "moins 30 %."
    ),
    "m3a_departs_formation": (
        "Circulaire : « Progression de 10 % des assistants maternels du territoire partis en formation continue "
        "grâce à l'action du Ram ».\n"
        "Numérateur : assistants maternels du territoire (commune de leur fiche aujourd'hui) dont une inscription "
        "marquée « grâce à l'action du relais » a un départ en formation en N ; une inscription annulée avant le "
        "départ ne compte pas, une formation interrompue après le départ compte. Dénominateur : le même compte "
        "pour N-1. Atteint si le numérateur est au moins 1,10 fois le dénominateur ; non calculable si N-1 vaut "
        "0. Un départ sans l'aide du relais ne compte pas."
    ),
    "m3b_accueil_alternatif": (
        "Circulaire : « Proposer une solution de garde alternative à 80 % des parents qui en font la demande "
        "auprès du Ram ».\n"
        "Dénominateur : demandes d'accueil alternatif reçues par le relais en N ; numérateur : celles qui ont "
        "reçu au moins une proposition, quelle que soit la réponse du parent. Cible : au moins 80 % ; non "
        "calculable s'il n'y a eu aucune demande."
    ),
    "bas_revenus_creche": (
        "Part des familles à bas revenus parmi les solutions en crèche (cible : au moins 10 % ; hors bonus).\n"
        "Dénominateur : demandes du relais closes « solution trouvée » en N (date du passage à ce statut) avec "
        "une solution en crèche (EAJE) ; numérateur : celles dont la famille perçoit le RSA ou a un quotient "
        "familial inférieur à 700 € (le montant, ou la tranche « moins de 700 € » quand le montant est inconnu)."
    ),
    "delai_premier_rdv": (
        "Délai médian entre le dépôt et le premier rendez-vous (sans cible).\n"
        "Demandes du relais déposées en N ; pour celles qui ont eu au moins un rendez-vous, le délai est la date "
        "et l'heure du premier rendez-vous moins celles du dépôt, en jours ; la valeur est la médiane de ces "
        "délais. Un rendez-vous prévu plus tard que le moment du calcul n'est pas encore un premier rendez-vous, "
        "ni un rendez-vous annulé ou auquel la famille n'est pas venue. "
        "Numérateur : demandes avec un rendez-vous ; dénominateur : demandes déposées en N."
    ),
    "urgences_24h": (
        "Part des besoins urgents traités sous 24 h (sans cible).\n"
        "Dénominateur : demandes urgentes du relais déposées en N, sauf celles que la famille a retirées dans les "
        "24 h avant toute action ; numérateur : celles dont la première action du relais envers la famille (comme "
        "pour la mission 1) a eu lieu au plus 24 h après le dépôt."
    ),
    "besoins_non_satisfaits": (
        "Demandes sans solution (sans cible).\n"
        "Demandes du relais closes « sans solution » en N (date du passage à ce statut), parmi les demandes "
        "closes avec ou sans solution en N. La valeur est leur nombre. Le détail par commune, âge et horaires est "
        "sur la page « besoins non satisfaits »."
    ),
}


# Every indicator: `jusqu_a`.
REGLE_COMMUNE = (
    "Un enregistrement daté après le moment du calcul ne compte jamais. Pour l'année en cours, les chiffres sont "
    "provisoires : ils sont arrêtés au jour du calcul."
)


INDICATEURS = [
    Indicateur(
        "m1_demandes_en_ligne",
        1,
        "Demandes en ligne traitées (N / N-1), ou ouverture du service en N",
        mission_1_demandes_en_ligne,
        "progression",
        "M1 demandes en ligne",
        ("demandes traitées en N", "demandes traitées en N-1"),
        ("demande traitée en N", "demande traitée en N-1"),
    ),
    Indicateur(
        "m2a_entretiens",
        2,
        "Assistants maternels en sous-activité à qui un entretien a été proposé",
        mission_2a_entretiens,
        "taux",
        "M2a entretiens",
        ("assistants maternels à qui un entretien a été proposé", "assistants maternels en sous-activité"),
        ("assistant maternel à qui un entretien a été proposé", "assistant maternel en sous-activité"),
    ),
    Indicateur(
        "m2b_disponibilites",
        2,
        "Assistants maternels agréés affichant leurs disponibilités",
        mission_2b_disponibilites,
        "taux",
        "M2b disponibilités affichées",
        ("assistants maternels affichant leurs disponibilités", "assistants maternels agréés"),
        ("assistant maternel affichant ses disponibilités", "assistant maternel agréé"),
    ),
    Indicateur(
        "m3a_departs_formation",
        3,
        "Départs en formation grâce au relais (N / N-1)",
        mission_3a_departs_formation,
        "progression",
        "M3a départs en formation",
        ("assistants maternels partis en N", "assistants maternels partis en N-1"),
        ("assistant maternel parti en N", "assistant maternel parti en N-1"),
    ),
    Indicateur(
        "m3b_accueil_alternatif",
        3,
        "Demandes d'accueil alternatif ayant reçu une proposition",
        mission_3b_accueil_alternatif,
        "taux",
        "M3b accueil alternatif",
        ("demandes avec une proposition", "demandes d'accueil alternatif"),
        ("demande avec une proposition", "demande d'accueil alternatif"),
    ),
    Indicateur(
        "bas_revenus_creche",
        None,
        "Familles à bas revenus parmi les solutions en crèche",
        bas_revenus_creche,
        "taux",
        "Bas revenus en crèche",
        ("familles à bas revenus", "solutions en crèche"),
        ("famille à bas revenus", "solution en crèche"),
    ),
    Indicateur(
        "delai_premier_rdv",
        None,
        "Délai médian entre dépôt et premier rendez-vous",
        delai_premier_rendez_vous,
        "jours",
        "Délai avant le premier rendez-vous",
        ("demandes avec un rendez-vous", "demandes déposées"),
        ("demande avec un rendez-vous", "demande déposée"),
    ),
    Indicateur(
        "urgences_24h",
        None,
        "Besoins urgents traités sous 24 h",
        urgences_24h,
        "taux",
        "Urgences sous 24 h",
        ("besoins urgents traités sous 24 h", "besoins urgents"),
        ("besoin urgent traité sous 24 h", "besoin urgent"),
    ),
    Indicateur(
        "besoins_non_satisfaits",
        None,
        "Demandes closes sans solution",
        besoins_non_satisfaits,
        "nombre",
        "Demandes sans solution",
        ("demandes closes sans solution", "demandes closes"),
        ("demande close sans solution", "demande close"),
    ),
]
PAR_CODE = {indicateur.code: indicateur for indicateur in INDICATEURS}


def codes_de_la_mission(mission: int) -> list[str]:
    return [indicateur.code for indicateur in INDICATEURS if indicateur.mission == mission]


def calculer_tout(relais_ids: list[int], annee: int) -> dict[int, list[Resultat]]:
    """Every indicator for several relais: each heavy indicator is one grouped query for all of them."""
    par_indicateur = [indicateur.fonction(relais_ids, annee) for indicateur in INDICATEURS]
    return {relais_id: [resultats[relais_id] for resultats in par_indicateur] for relais_id in relais_ids}
