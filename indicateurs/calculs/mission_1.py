"""Mission 1: the online requests the relais processed (one grouped query over the requests)."""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils import timezone

from indicateurs.calculs.communs import (
    STATUTS_ACTION_VERS_LA_FAMILLE,
    Resultat,
    _sql,
    bornes,
    date_de_reference,
    jusqu_a,
    premiere_action_sql,
    resultat,
)
from relais.models import Relais


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
    # Opened in N: met; not open at R: not met; opened before N: the 20 % progression decides.
    decision = {} if ouvert_a_r and not ouvert_en_n else {"atteint": ouvert_en_n}
    return resultat(
        "m1_demandes_en_ligne",
        ids_n,
        ids_prec,
        pourcent=120,
        **decision,
        entrees={"ouverture": ouverture, "traitees": list(zip(traitees.ids, traitees.actions_us, strict=True))},
        detail={
            "ouverture": ouverture.isoformat() if ouverture else None,
            "ouvert_en_n": ouvert_en_n,
            "pas_encore_ouvert": not ouvert_a_r,
            "par_mois": traitees.par_mois,
            "par_mois_precedent": traitees.par_mois_precedent,
        },
    )
