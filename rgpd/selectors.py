"""Reads of the GDPR app: records whose retention period is over, and what an account deletion keeps.

Like `indicateurs`, this app reads the other apps' tables; it writes only through their
`anonymisation` modules.
"""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from assmats.models import AssistantMaternel
from comptes.models import Role, User
from demandes.models import STATUTS_FERMES, STATUTS_OUVERTS, Demande
from formation.models import DemandeAccueilAlternatif
from tiers_payant.models import STATUTS_FINAUX, Convention
from tiers_payant.models import Statut as StatutConvention

# Staff accounts are created and removed by an admin; only the people who signed up delete their own.
ROLES_POUVANT_SUPPRIMER_LEUR_COMPTE = (Role.PARENT, Role.ASSMAT)


def _jour(maintenant: datetime) -> date:
    return timezone.localtime(maintenant).date()


def limite_demandes(maintenant: datetime) -> datetime:
    return maintenant - relativedelta(months=settings.RGPD_CONSERVATION["demande_close_mois"])


def limite_agrements(maintenant: datetime) -> date:
    return _jour(maintenant) - relativedelta(months=settings.RGPD_CONSERVATION["agrement_termine_mois"])


def limite_conventions(maintenant: datetime) -> date:
    return _jour(maintenant) - relativedelta(years=settings.RGPD_CONSERVATION["convention_terminee_ans"])


def demandes_a_anonymiser(maintenant: datetime) -> QuerySet[Demande]:
    """Requests closed (with or without a solution, without answer) or withdrawn before the limit."""
    return Demande.objects.filter(
        statut__in=STATUTS_FERMES, statut_modifie_at__lt=limite_demandes(maintenant), anonymise_le__isnull=True
    ).order_by("pk")


def assistants_maternels_a_anonymiser(maintenant: datetime) -> QuerySet[AssistantMaternel]:
    """Childminders whose agrément ended before the limit. A childminder holds one agrément (the PMI's
    renewal updates it), so an agrément that ended that long ago means no current one."""
    return AssistantMaternel.objects.filter(
        agrement__date_fin_validite__lt=limite_agrements(maintenant), anonymise_le__isnull=True
    ).order_by("pk")


def conventions_a_anonymiser(maintenant: datetime) -> QuerySet[Convention]:
    """Conventions ended or cancelled before the limit."""
    return Convention.objects.filter(
        statut__in=STATUTS_FINAUX, date_fin_effective__lt=limite_conventions(maintenant), anonymise_le__isnull=True
    ).order_by("pk")


def adresses_de_la_fiche(assistant_maternel_id: int) -> list[str]:
    """The e-mail address of a childminder's file not anonymised yet (none when blank)."""
    return list(
        AssistantMaternel.objects.filter(pk=assistant_maternel_id, anonymise_le__isnull=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def demandes_accueil_alternatif_de_l_assistant_maternel(assistant_maternel_id: int) -> QuerySet:
    """Parents' requests for childcare during this childminder's trainings: they name her children."""
    return DemandeAccueilAlternatif.objects.filter(
        inscription__assistant_maternel_id=assistant_maternel_id, anonymise_le__isnull=True
    ).order_by("pk")


# --- Account deletion ---------------------------------------------------------------------------------------


def peut_supprimer_son_compte(user: User) -> bool:
    return user.is_authenticated and user.role in ROLES_POUVANT_SUPPRIMER_LEUR_COMPTE


def demandes_du_parent(user: User) -> QuerySet[Demande]:
    return Demande.objects.filter(parent=user, anonymise_le__isnull=True).order_by("pk")


def demandes_en_cours_du_parent(user: User) -> QuerySet[Demande]:
    return demandes_du_parent(user).filter(statut__in=STATUTS_OUVERTS)


def demandes_accueil_alternatif_du_parent(user: User) -> QuerySet[DemandeAccueilAlternatif]:
    return DemandeAccueilAlternatif.objects.filter(parent=user, anonymise_le__isnull=True).order_by("pk")


def fiche_assistant_maternel(user: User) -> AssistantMaternel | None:
    return AssistantMaternel.objects.filter(user=user, anonymise_le__isnull=True).order_by("pk").first()


def conventions_du_compte(user: User) -> QuerySet[Convention]:
    """Conventions the person is a party to (as a parent, second parent or childminder), not anonymised."""
    return Convention.objects.filter(
        Q(parent=user) | Q(parent2=user) | Q(assistant_maternel__user=user), anonymise_le__isnull=True
    ).order_by("pk")


def conventions_conservees(user: User, maintenant: datetime) -> QuerySet[Convention]:
    """The conventions an account deletion keeps as they are: signed, active, or ended within the
    retention period. The retention job anonymises them once it is over."""
    return (
        conventions_du_compte(user)
        .exclude(statut__in=[StatutConvention.BROUILLON, StatutConvention.ENVOYEE])
        .exclude(statut__in=STATUTS_FINAUX, date_fin_effective__lt=limite_conventions(maintenant))
        .select_related("relais")
        .order_by("date_debut", "pk")
    )
