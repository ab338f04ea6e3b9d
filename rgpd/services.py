"""Writes of the GDPR app: account deletion (as anonymisation) and the retention job.

Each app blanks its own records in its `anonymisation` module; this module decides what is due and in
which order. Every anonymisation marks its record (`anonymise_le`) under a row lock and does nothing
the second time, so both entry points are idempotent.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from assmats import anonymisation as assmats_anonymisation
from audit.services import Action, journaliser_tache
from comptes import anonymisation as comptes_anonymisation
from comptes.models import User
from courriels import services as courriels
from demandes import anonymisation as demandes_anonymisation
from demandes.models import STATUTS_OUVERTS
from formation import anonymisation as formation_anonymisation
from insertion import anonymisation as insertion_anonymisation
from orientations import anonymisation as orientations_anonymisation
from rgpd import selectors
from tiers_payant import anonymisation as tiers_payant_anonymisation
from tiers_payant.models import STATUTS_FINAUX


class SuppressionInterdite(Exception):
    """The account cannot be deleted this way; the message is French and shown as is."""


# --- Account deletion ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BilanSuppression:
    demandes_anonymisees: int = 0
    demandes_retirees: int = 0
    demandes_accueil_alternatif: int = 0
    conventions_anonymisees: int = 0
    conventions_conservees: list[str] = field(default_factory=list)
    fiche_assistant_maternel: bool = False


@transaction.atomic
def _anonymiser_demande(demande_id: int, maintenant: datetime) -> bool:
    """A request and what insertion and a partner's referral attached to it (AVIP places, parcours, the referral's
    family name), in one transaction: False when the request was already anonymised (they were then too)."""
    if not demandes_anonymisation.anonymiser_demande(demande_id=demande_id, maintenant=maintenant):
        return False
    insertion_anonymisation.anonymiser_insertion_de_la_demande(demande_id=demande_id, maintenant=maintenant)
    orientations_anonymisation.anonymiser_orientation_de_la_demande(demande_id=demande_id, maintenant=maintenant)
    return True


def _anonymiser_fiche_assistant_maternel(assistant_maternel_id: int, maintenant: datetime, *, retrait: bool) -> bool:
    """Her file, what it left in training, and the e-mails sent to its addresses (read before they are blanked)."""
    for adresse in selectors.adresses_de_la_fiche(assistant_maternel_id):
        courriels.effacer_pour_adresse(adresse)
    if not assmats_anonymisation.anonymiser_assistant_maternel(
        assistant_maternel_id=assistant_maternel_id, maintenant=maintenant, retrait=retrait
    ):
        return False
    formation_anonymisation.anonymiser_formation_de_l_assistant_maternel(assistant_maternel_id=assistant_maternel_id)
    return True


def _convention_echue(convention, maintenant: datetime) -> bool:
    return convention.statut in STATUTS_FINAUX and convention.date_fin_effective < selectors.limite_conventions(
        maintenant
    )


@transaction.atomic
def supprimer_compte(*, user: User, maintenant: datetime | None = None) -> BilanSuppression:
    """A parent or a childminder deletes their account: everything about them is anonymised at once,
    except the tiers payant conventions that are signed, active or ended within the retention period,
    which keep their personal data until the retention job anonymises them.

    Order matters: the account's e-mail is read to find what was sent or given to it, so the account
    itself is emptied last. Open requests are withdrawn first (nobody can be contacted any more), and
    the animator in charge is told once the data are blanked. The caller logs the person out.
    """
    maintenant = maintenant or timezone.now()
    if not selectors.peut_supprimer_son_compte(user):
        raise SuppressionInterdite(
            "Les comptes des équipes des relais, de la CAF et des administrateurs sont supprimés par un "
            "administrateur."
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.anonymise_le is not None:
        raise SuppressionInterdite("Ce compte a déjà été supprimé.")

    demandes = retirees = 0
    for demande in selectors.demandes_du_parent(user).only("pk", "statut"):
        ouverte = demande.statut in STATUTS_OUVERTS
        if ouverte:
            demandes_anonymisation.retirer_pour_suppression_du_compte(demande_id=demande.pk)
        demandes += _anonymiser_demande(demande.pk, maintenant)
        if ouverte:
            retirees += 1
            demandes_anonymisation.prevenir_relais_du_retrait(demande_id=demande.pk)
    demandes_anonymisation.effacer_traces_du_compte(user=user)
    courriels.effacer_pour_adresse(user.email)

    alternatives = sum(
        formation_anonymisation.anonymiser_demande_accueil_alternatif(demande_id=pk, maintenant=maintenant)
        for pk in selectors.demandes_accueil_alternatif_du_parent(user).values_list("pk", flat=True)
    )
    formation_anonymisation.effacer_traces_du_compte(email=user.email)

    conventions = 0
    for convention in selectors.conventions_du_compte(user):
        resiliee = tiers_payant_anonymisation.resilier_pour_suppression_du_compte(
            convention_id=convention.pk, le=timezone.localtime(maintenant).date()
        )
        if resiliee or _convention_echue(convention, maintenant):
            conventions += tiers_payant_anonymisation.anonymiser_convention(
                convention_id=convention.pk, maintenant=maintenant
            )
    conservees = list(selectors.conventions_conservees(user, maintenant).values_list("reference", flat=True))

    fiche = selectors.fiche_assistant_maternel(user)
    if fiche is not None:
        _anonymiser_fiche_assistant_maternel(fiche.pk, maintenant, retrait=True)

    comptes_anonymisation.anonymiser_utilisateur(user_id=user.pk, maintenant=maintenant)
    return BilanSuppression(
        demandes_anonymisees=demandes,
        demandes_retirees=retirees,
        demandes_accueil_alternatif=alternatives,
        conventions_anonymisees=conventions,
        conventions_conservees=conservees,
        fiche_assistant_maternel=fiche is not None,
    )


# --- Retention ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RapportRetention:
    """Ids due (dry run) or anonymised (applied), per kind of record."""

    demandes: list[int]
    assistants_maternels: list[int]
    conventions: list[int]
    applique: bool

    @property
    def total(self) -> int:
        return len(self.demandes) + len(self.assistants_maternels) + len(self.conventions)


def appliquer_retention(*, maintenant: datetime | None = None, dry_run: bool = True) -> RapportRetention:
    """Anonymises the records whose retention period (`settings.RGPD_CONSERVATION`) is over: requests
    closed or withdrawn, childminders whose agrément ended, conventions ended. With `dry_run` (the
    default) nothing is written and the report lists what is due.

    Each record is anonymised in its own transaction: a failure leaves the others done, and the next
    run picks up what remains. A record already anonymised (e.g. by a concurrent run) is skipped and
    left out of the report.
    """
    maintenant = maintenant or timezone.now()
    demandes = list(selectors.demandes_a_anonymiser(maintenant).values_list("pk", flat=True))
    assmats = list(selectors.assistants_maternels_a_anonymiser(maintenant).values_list("pk", flat=True))
    conventions = list(selectors.conventions_a_anonymiser(maintenant).values_list("pk", flat=True))
    if dry_run:
        return RapportRetention(demandes, assmats, conventions, applique=False)

    demandes = [pk for pk in demandes if _anonymiser_demande(pk, maintenant)]
    faites = []
    for pk in assmats:
        with transaction.atomic():
            if _anonymiser_fiche_assistant_maternel(pk, maintenant, retrait=False):
                for demande_id in selectors.demandes_accueil_alternatif_de_l_assistant_maternel(pk).values_list(
                    "pk", flat=True
                ):
                    formation_anonymisation.anonymiser_demande_accueil_alternatif(
                        demande_id=demande_id, maintenant=maintenant
                    )
                faites.append(pk)
    conventions = [
        pk
        for pk in conventions
        if tiers_payant_anonymisation.anonymiser_convention(convention_id=pk, maintenant=maintenant)
    ]
    rapport = RapportRetention(demandes, faites, conventions, applique=True)
    if rapport.total:
        journaliser_tache(
            action=Action.UPDATE,
            objet="rgpd.retention",
            description=(
                f"Anonymisation (durée de conservation échue) : {len(demandes)} demande(s), "
                f"{len(faites)} assistant(s) maternel(s), {len(conventions)} convention(s)"
            ),
        )
    return rapport
