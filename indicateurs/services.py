"""Writes of the indicators app: snapshots (replaced in one transaction), engagements, recomputation runs."""

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from comptes.models import User
from indicateurs import calculs
from indicateurs.models import Calcul, Engagement, HistoriqueEngagement, Snapshot
from indicateurs.permissions import access_departement_indicateurs, access_relais_indicateurs
from relais.models import Departement, Relais

# Namespace of the PostgreSQL advisory lock that serialises the computations of one relais.
VERROU_INDICATEURS = 2017003


def _pause_de_test() -> None:
    """Test-only: lets the real-worker test kill a worker in the middle of the transaction."""
    if settings.INDICATEURS_PAUSE_TEST_SECONDES:
        time.sleep(settings.INDICATEURS_PAUSE_TEST_SECONDES)


def _tableau_d_ids(ids: list[int]) -> RawSQL:
    """The ids as one bigint[] literal: Django would prepare each of 100 000 elements one by one (seconds for a
    département); PostgreSQL parses the text in milliseconds."""
    return RawSQL("%s::bigint[]", ["{" + ",".join(map(str, ids)) + "}"])  # noqa: S611 - one parameter, no SQL text


def enregistrer_indicateurs(*, relais_id: int, annee: int) -> str:
    """Computes every indicator of a relais for a year and replaces its snapshots, all or nothing.

    The previous snapshots stay visible until the new ones commit, so a run killed half-way leaves
    them intact. Returns the fingerprint of the whole computation (SHA-256 of the indicators' ones)."""
    return enregistrer_indicateurs_de_plusieurs(relais_ids=[relais_id], annee=annee)[relais_id]


def enregistrer_indicateurs_de_plusieurs(*, relais_ids: list[int], annee: int) -> dict[int, str]:
    """The same for several relais at once (a département): each heavy indicator is one grouped query for all
    of them, and all their snapshots are replaced in one transaction. Returns the fingerprint per relais."""
    relais_ids = sorted(set(relais_ids))
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Two runs for the same relais wait for each other instead of interleaving; sorted: no deadlock.
            for relais_id in relais_ids:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [VERROU_INDICATEURS, relais_id])
        if Relais.objects.filter(pk__in=relais_ids).count() != len(relais_ids):
            raise Relais.DoesNotExist(f"Relais inconnu parmi {relais_ids}")
        resultats = calculs.calculer_tout(relais_ids, annee)
        maintenant = timezone.now()
        Snapshot.objects.filter(relais_id__in=relais_ids, annee=annee).delete()
        _pause_de_test()
        Snapshot.objects.bulk_create(
            Snapshot(
                relais_id=relais_id,
                annee=annee,
                code=r.code,
                numerateur=r.numerateur,
                denominateur=r.denominateur,
                valeur=r.valeur,
                cible=r.cible,
                atteint=r.atteint,
                ids_numerateur=_tableau_d_ids(r.ids_numerateur),
                ids_denominateur=_tableau_d_ids(r.ids_denominateur),
                detail=r.detail,
                empreinte=r.empreinte,
                computed_at=maintenant,
            )
            for relais_id, du_relais in resultats.items()
            for r in du_relais
        )
    return {
        relais_id: calculs.empreinte([r.empreinte for r in du_relais]) for relais_id, du_relais in resultats.items()
    }


def enregistrer_indicateurs_du_departement(*, departement_id: int, annee: int) -> dict[int, str]:
    """Every relais of a département at once (the nightly run): see `enregistrer_indicateurs_de_plusieurs`."""
    relais_ids = list(Relais.objects.filter(departement_id=departement_id).order_by("pk").values_list("pk", flat=True))
    return enregistrer_indicateurs_de_plusieurs(relais_ids=relais_ids, annee=annee)


def _suivre(calcul_id: int | None, calculer: Callable[[], str]) -> str:
    """Runs a computation and keeps the dashboard's `Calcul` row (if any) up to date: the page polls it."""
    if calcul_id is None:
        return calculer()
    Calcul.objects.filter(pk=calcul_id).update(statut=Calcul.Statut.EN_COURS, commence_le=timezone.now())
    try:
        resultat = calculer()
    except Exception as exc:
        Calcul.objects.filter(pk=calcul_id).update(
            statut=Calcul.Statut.ECHEC, erreur=str(exc)[:500], termine_le=timezone.now()
        )
        raise
    Calcul.objects.filter(pk=calcul_id).update(
        statut=Calcul.Statut.TERMINE, empreinte=resultat, erreur="", termine_le=timezone.now()
    )
    return resultat


def executer_calcul(*, relais_id: int, annee: int, calcul_id: int | None = None) -> str:
    """One relais' computation, followed by its `Calcul` row if the dashboard asked for it."""
    return _suivre(calcul_id, lambda: enregistrer_indicateurs(relais_id=relais_id, annee=annee))


def executer_calcul_du_departement(*, departement_id: int, annee: int, calcul_id: int | None = None) -> str:
    """A département's computation (all its relais in one run), followed likewise. Returns the fingerprint of the
    whole département (its relais' ones in relais order)."""

    def calculer() -> str:
        empreintes = enregistrer_indicateurs_du_departement(departement_id=departement_id, annee=annee)
        return calculs.empreinte([empreintes[pk] for pk in sorted(empreintes)])

    return _suivre(calcul_id, calculer)


@transaction.atomic
def demander_calcul(*, relais_id: int, annee: int, par: User) -> Calcul:
    """A CAF agent asks for a recomputation from the dashboard; the task runs after commit."""
    from indicateurs.tasks import calculer_indicateurs

    relais = access_relais_indicateurs(par, relais_id)
    calcul = Calcul.objects.create(relais=relais, annee=annee, demande_par=par)
    transaction.on_commit(lambda: calculer_indicateurs.delay(relais.pk, annee, calcul_id=calcul.pk))
    return calcul


# A run still « en attente » or « en cours » after this long was lost with its worker (the task's hard limit is
# 10 minutes): a new click starts another one instead of waiting for it forever.
CALCUL_PERDU_APRES = timedelta(minutes=15)


@transaction.atomic
def demander_calcul_du_departement(*, departement_id: int, annee: int, par: User) -> Calcul:
    """A CAF agent asks for the recomputation of every relais of a département: ONE task for all of them, after
    commit. A second click while it runs gets the same run, not a second task."""
    from indicateurs.tasks import calculer_indicateurs_du_departement

    departement = access_departement_indicateurs(par, departement_id)
    # Two agents clicking at once: the second waits here, then finds the first one's run.
    Departement.objects.select_for_update().filter(pk=departement.pk).first()
    en_cours = (
        Calcul.objects.filter(
            departement=departement,
            annee=annee,
            statut__in=[Calcul.Statut.EN_ATTENTE, Calcul.Statut.EN_COURS],
            created_at__gte=timezone.now() - CALCUL_PERDU_APRES,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if en_cours is not None:
        return en_cours
    calcul = Calcul.objects.create(departement=departement, annee=annee, demande_par=par)
    transaction.on_commit(
        lambda: calculer_indicateurs_du_departement.delay(departement.pk, annee, calcul_id=calcul.pk)
    )
    return calcul


class EngagementInvalide(Exception):
    pass


def chiffres_affiches(*, relais_id: int, annee: int) -> bool:
    """The year's figures are shown as soon as they are computed: every dashboard, CSV and PDF reads the snapshots."""
    return Snapshot.objects.filter(relais_id=relais_id, annee=annee).exists()


@transaction.atomic
def enregistrer_engagement(
    *, relais_id: int, annee: int, missions: list[int], mission_retenue: int, par: User, motif: str = ""
):
    """The CAF agent records the missions a relais engaged in for a year and the retained one; history kept.

    The retained mission is frozen once the year's figures are shown: choosing it after seeing which mission is
    met would defeat the evaluation. Changing it then needs a reason; the change is kept with who and why and
    flagged on the report."""
    relais = access_relais_indicateurs(par, relais_id)
    missions = sorted(set(missions))
    motif = motif.strip()
    if not missions:
        raise EngagementInvalide("Cochez au moins une mission engagée.")
    if mission_retenue not in missions:
        raise EngagementInvalide("La mission retenue doit faire partie des missions engagées.")
    actuel = Engagement.objects.select_for_update().filter(relais=relais, annee=annee).first()
    apres_affichage = (
        actuel is not None
        and actuel.mission_retenue != mission_retenue
        and chiffres_affiches(relais_id=relais.pk, annee=annee)
    )
    if apres_affichage and not motif:
        raise EngagementInvalide(
            f"Les chiffres {annee} de ce relais ont déjà été affichés : la mission retenue ne change plus sans un "
            "motif, qui sera indiqué sur le rapport."
        )
    valeurs = {
        "mission_1": 1 in missions,
        "mission_2": 2 in missions,
        "mission_3": 3 in missions,
        "mission_retenue": mission_retenue,
        "modifie_par": par,
    }
    if apres_affichage:
        valeurs["retenue_modifiee_apres_affichage_le"] = timezone.now()
    engagement, _ = Engagement.objects.update_or_create(relais=relais, annee=annee, defaults=valeurs)
    HistoriqueEngagement.objects.create(
        engagement=engagement,
        missions=missions,
        mission_retenue=mission_retenue,
        auteur=par,
        motif=motif,
        apres_affichage=apres_affichage,
    )
    return engagement
