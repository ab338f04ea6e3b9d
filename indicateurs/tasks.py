"""Background computation of the indicators. Ids in, idempotent (snapshots replaced in one transaction)."""

from celery import shared_task
from django.utils import timezone

from config.celery import TACHE_COURTE, TACHE_LOT
from indicateurs import services
from indicateurs.selectors import annees_a_calculer
from relais.models import Relais

# A worker lost mid-computation hands the task back (acknowledged late, requeued when its worker is lost: global
# settings): the snapshots are replaced in one transaction, so a rerun starts from the previous figures.


@shared_task(**TACHE_LOT)
def calculer_indicateurs(relais_id: int, annee: int, calcul_id: int | None = None) -> str:
    """Recalcule et enregistre les indicateurs d'un relais pour une année. Idempotent."""
    return services.executer_calcul(relais_id=relais_id, annee=annee, calcul_id=calcul_id)


@shared_task(**TACHE_LOT)
def calculer_indicateurs_du_departement(departement_id: int, annee: int, calcul_id: int | None = None) -> str:
    """Recalcule et enregistre les indicateurs de tous les relais d'un département pour une année. Idempotent."""
    return services.executer_calcul_du_departement(departement_id=departement_id, annee=annee, calcul_id=calcul_id)


@shared_task(**TACHE_COURTE)
def planifier_calculs() -> int:
    """Nightly: one task per département (with relais) and year to compute. A département at once costs about
    half its relais one by one (each heavy indicator is one grouped query for all of them, see bench/README.md);
    an agent's recomputation of one relais stays `calculer_indicateurs`."""
    annees = annees_a_calculer(timezone.localdate())
    departement_ids = list(
        Relais.objects.order_by("departement_id").values_list("departement_id", flat=True).distinct()
    )
    for departement_id in departement_ids:
        for annee in annees:
            calculer_indicateurs_du_departement.delay(departement_id, annee)
    return len(departement_ids) * len(annees)
