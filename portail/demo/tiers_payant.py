"""Demo tiers payant conventions, made through the services like real ones: the demo parent and the demo
childminder share an active convention with three monthly statements (two confirmed, one awaiting the
parent); a second family has a convention waiting for signatures. Idempotent: an existing convention
of a family is left as it is."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from assmats.models import AssistantMaternel
from comptes.models import Role, User
from portail.demo import DEMO_DOMAIN
from relais.models import Relais
from tiers_payant import selectors, services
from tiers_payant.models import Convention


@dataclass(frozen=True)
class ConventionDemo:
    parent: str
    assmat: str
    enfant: str
    naissance_mois_avant: int  # the child's age at the start, in months
    mois_avant: int  # start: first day of the month this many months ago
    heures: Decimal
    salaire: Decimal
    entretien: Decimal
    repas: Decimal
    ressources: Decimal
    rsa: bool
    signee: bool


CONVENTIONS = [
    ConventionDemo("parent", "assmat", "Jade", 14, 3, Decimal(125), Decimal("4.85"), Decimal(60), Decimal(40),
                   Decimal(1050), rsa=True, signee=True),
    ConventionDemo("parent.2", "assmat.2", "Noé", 10, -1, Decimal(140), Decimal("4.60"), Decimal(70), Decimal(0),
                   Decimal(1000), rsa=False, signee=False),
]  # fmt: skip


def _email(prefixe: str) -> str:
    return f"{prefixe}@{DEMO_DOMAIN}"


def _signer(convention: Convention, users: list[User]) -> None:
    empreinte = selectors.document_a_signer(convention).sha256
    for user in users:
        services.signer_convention(convention_id=convention.pk, par=user, empreinte=empreinte)


def _releves(convention: Convention, assmat: User, parent: User, debut: date) -> None:
    for rang in range(3):
        releve = services.declarer_releve(
            convention_id=convention.pk,
            par=assmat,
            mois=debut + relativedelta(months=rang),
            heures=convention.heures_mensuelles - 4 * rang,
            salaire_horaire=convention.salaire_horaire,
            indemnites=convention.indemnites_mensuelles,
        )
        if rang < 2:
            services.confirmer_releve(releve_id=releve.pk, par=parent)


@transaction.atomic
def seed_tiers_payant() -> int:
    aujourd_hui = timezone.localdate()
    agent = User.objects.get(email=_email("agent.caf"))
    crees = 0
    for spec in CONVENTIONS:
        parent = User.objects.get(email=_email(spec.parent), role=Role.PARENT)
        assmat = AssistantMaternel.objects.select_related("commune", "user").get(user__email=_email(spec.assmat))
        if Convention.objects.filter(parent=parent, assistant_maternel=assmat).exists():
            continue
        debut = aujourd_hui.replace(day=1) - relativedelta(months=spec.mois_avant)
        termes = services.Termes(
            relais=Relais.objects.get(territoire__commune=assmat.commune),
            parent=parent,
            parent2=None,
            commune_famille=assmat.commune,
            enfant_prenom=spec.enfant,
            enfant_naissance=debut - relativedelta(months=spec.naissance_mois_avant),
            assistant_maternel=assmat,
            date_debut=debut,
            duree_mois=18,
            heures_mensuelles=spec.heures,
            salaire_horaire=spec.salaire,
            indemnites_entretien=spec.entretien,
            indemnites_repas=spec.repas,
            ressources_mensuelles=spec.ressources,
            enfants_a_charge=1,
            parent_isole=False,
            rsa=spec.rsa,
            aeeh=False,
            aah=False,
        )
        convention = services.preparer_convention(par=agent, termes=termes)
        services.envoyer_pour_signature(convention_id=convention.pk, par=agent)
        if spec.signee:
            _signer(convention, [agent, parent, assmat.user])
            services.activer_convention(convention_id=convention.pk, par=agent)
            _releves(convention, assmat.user, parent, debut)
        else:
            _signer(convention, [agent])
        crees += 1
    return crees
