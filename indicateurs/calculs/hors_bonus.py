"""Indicators tracked outside the bonus: low incomes in crèche, delay to the first appointment, urgent needs
within 24 h, unmet needs (one grouped query over the requests each)."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from demandes.models import Mode, Statut, TrancheQf
from indicateurs.calculs.communs import (
    QUATRE_DECIMALES,
    STATUTS_ACTION_VERS_LA_FAMILLE,
    Resultat,
    _par_relais_sql,
    _sql,
    bornes,
    date_de_cloture_sql,
    iso_sql,
    jusqu_a,
    premiere_action_sql,
    resultat,
)

SEUIL_QF_BAS_REVENUS = 700


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
    return {
        relais_id: resultat("bas_revenus_creche", ids_num, ids_den, pourcent=10, entrees=entrees)
        for relais_id, (ids_den, ids_num, entrees) in groupes.items()
    }


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
        jours = None if secondes is None else (Decimal(secondes) / 86400).quantize(QUATRE_DECIMALES, ROUND_HALF_UP)
        resultats[relais_id] = resultat("delai_premier_rdv", ids_num, ids_den, valeur=jours, entrees=entrees)
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
    return {
        relais_id: resultat("urgences_24h", ids_num, ids_den, entrees=entrees)
        for relais_id, (ids_den, ids_num, entrees) in groupes.items()
    }


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
    return {
        relais_id: resultat("besoins_non_satisfaits", ids_num, ids_den, valeur=Decimal(len(ids_num)), entrees=entrees)
        for relais_id, (ids_den, ids_num, entrees) in groupes.items()
    }
