"""Reads on conventions: eligibility, signatures, documents, payments and outcomes."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from comptes.models import Role
from relais.models import CommuneDuTerritoire
from tiers_payant.models import (
    TRANSITIONS,
    Convention,
    DocumentConvention,
    ParametresEligibilite,
    Partie,
    ReleveMensuel,
    SignatureConvention,
    Statut,
)
from tiers_payant.permissions import ROLES_GESTION, parties_de


def euros(montant: Decimal, decimales: int = 2) -> str:
    """French amount for messages: 13 277 €, 1 500,50 €."""
    texte = f"{montant:,.{decimales}f}".replace(",", " ").replace(".", ",")
    return f"{texte} €"


@dataclass(frozen=True)
class Eligibilite:
    motifs: list[str] = field(default_factory=list)
    plafond_annuel: Decimal | None = None
    ressources_annuelles: Decimal | None = None

    @property
    def eligible(self) -> bool:
        return not self.motifs


def verifier_eligibilite(convention: Convention) -> Eligibilite:
    """Every reason why the family cannot enter the scheme, in French; none when it can.

    RSA, or annual resources (monthly × 12) up to the dated ceiling in force at the start date; the
    family's commune in the convention's relais' territory; the childminder's agrément valid at the
    start date, and an account for her to sign with."""
    motifs = []
    parametres = ParametresEligibilite.en_vigueur(convention.date_debut)
    plafond = parametres.plafond_annuel(convention.enfants_a_charge)
    annuelles = convention.ressources_mensuelles * 12
    if not convention.rsa and annuelles > plafond:
        enfants = convention.enfants_a_charge
        taux = f"{parametres.taux_pourcent.normalize():f}".replace(".", ",")
        motifs.append(
            f"Les ressources annuelles du foyer ({euros(annuelles)}) dépassent le plafond de {euros(plafond, 0)} "
            f"pour {enfants} enfant{'s' if enfants > 1 else ''} à charge ({taux} % du plafond "
            "majoré de la PAJE), et le foyer ne perçoit pas le RSA."
        )
    commune = convention.commune_famille
    if not CommuneDuTerritoire.objects.filter(relais_id=convention.relais_id, commune_id=commune.pk).exists():
        motifs.append(f"La commune de la famille, {commune.nom}, n'est pas dans le territoire du {convention.relais}.")
    assmat = convention.assistant_maternel
    agrement = getattr(assmat, "agrement", None)
    if agrement is None:
        motifs.append(f"{assmat} n'a pas d'agrément enregistré.")
    elif not agrement.est_valide(convention.date_debut):
        motifs.append(
            f"L'agrément n° {agrement.numero} de {assmat} n'est pas valide à la date de début, le "
            f"{convention.date_debut:%d/%m/%Y} (valable du {agrement.date_delivrance:%d/%m/%Y} "
            f"au {agrement.date_fin_validite:%d/%m/%Y})."
        )
    if assmat.user_id is None:
        motifs.append(f"{assmat} n'a pas de compte sur le portail : elle ou il ne pourrait pas signer.")
    return Eligibilite(motifs=motifs, plafond_annuel=plafond, ressources_annuelles=annuelles)


def list_conventions(conventions: QuerySet[Convention]) -> QuerySet[Convention]:
    return conventions.select_related("relais", "parent", "parent2", "assistant_maternel").order_by(
        "-created_at", "-pk"
    )


def signatures_en_vigueur(convention: Convention) -> dict[str, SignatureConvention]:
    signatures = convention.signatures.filter(annulee_le__isnull=True).select_related("user").order_by("signed_at")
    return {signature.partie: signature for signature in signatures}


def _documents(convention: Convention, nature: str) -> QuerySet[DocumentConvention]:
    return convention.documents.filter(nature=nature).order_by("-created_at", "-pk")


def document_a_signer(convention: Convention, *, contenu: bool = False) -> DocumentConvention | None:
    documents = _documents(convention, DocumentConvention.Nature.A_SIGNER)
    return (documents if contenu else documents.defer("contenu")).first()


def document_signe(convention: Convention, *, contenu: bool = False) -> DocumentConvention | None:
    documents = _documents(convention, DocumentConvention.Nature.SIGNE)
    return (documents if contenu else documents.defer("contenu")).first()


def invites_a_signer(convention: Convention) -> tuple[list, list[str]]:
    """The parents and the childminder an e-mail invites to sign (their accounts), and, named, those it
    cannot reach: a childminder without an account, an account without an address."""
    assmat = convention.assistant_maternel
    parties = [
        (Partie.PARENT.label, convention.parent, ""),
        *([(Partie.PARENT2.label, convention.parent2, "")] if convention.parent2_id else []),
        (Partie.ASSMAT.label, assmat.user, f"{assmat.prenom} {assmat.nom}"),
    ]
    invites, injoignables = [], []
    for libelle, user, nom in parties:
        if user is not None and user.email:
            invites.append(user)
        else:
            injoignables.append(f"{libelle.lower()} {(user.get_full_name() if user else '') or nom}".strip())
    return invites, injoignables


def list_releves(convention: Convention) -> QuerySet[ReleveMensuel]:
    return convention.releves.select_related("saisi_par", "confirme_par", "conteste_par").order_by("-mois", "pk")


def paiements_du_mois(conventions: QuerySet[Convention], mois: date) -> QuerySet[ReleveMensuel]:
    """Confirmed statements of a month: what the CAF pays to each childminder."""
    return (
        ReleveMensuel.objects.filter(convention__in=conventions.values("pk"), mois=mois, confirme_le__isnull=False)
        .select_related("convention__relais", "convention__assistant_maternel", "convention__parent")
        .order_by("convention__relais__nom", "convention__reference", "pk")
    )


@dataclass(frozen=True)
class Resultats:
    signees: int
    avec_rsa: int
    assmats: int
    reprise_activite: int
    actives: int
    cmg_verse: Decimal
    releves_confirmes: int

    @property
    def part_rsa(self) -> Decimal | None:
        return Decimal(self.avec_rsa * 100) / self.signees if self.signees else None

    @property
    def part_reprise(self) -> Decimal | None:
        return Decimal(self.reprise_activite * 100) / self.assmats if self.assmats else None


def resultats(conventions: QuerySet[Convention]) -> Resultats:
    """Outcomes of the scheme, in a constant number of queries.

    "Regained activity": a childminder who had no child in care on the eve of the start of her first
    signed convention (children in care are `assmats.Accueil` rows, read through the foreign key)."""
    signees = conventions.filter(signee_le__isnull=False)
    compte = signees.aggregate(
        signees=Count("pk"),
        avec_rsa=Count("pk", filter=Q(rsa=True)),
        actives=Count("pk", filter=Q(statut=Statut.ACTIVE)),
        assmats=Count("assistant_maternel", distinct=True),
    )
    premier_debut = (
        Convention.objects.filter(signee_le__isnull=False, assistant_maternel=OuterRef("assistant_maternel"))
        .order_by("date_debut")
        .values("date_debut")[:1]
    )
    premieres = signees.annotate(premier_debut=Subquery(premier_debut)).filter(date_debut=F("premier_debut"))
    occupees = (
        premieres.filter(
            Q(assistant_maternel__accueils__date_fin__isnull=True)
            | Q(assistant_maternel__accueils__date_fin__gte=F("date_debut") - timedelta(days=1)),
            assistant_maternel__accueils__date_debut__lt=F("date_debut"),
        )
        .values("assistant_maternel")
        .distinct()
        .count()
    )
    paye = ReleveMensuel.objects.filter(convention__in=signees.values("pk"), confirme_le__isnull=False).aggregate(
        total=Sum("cmg"), nombre=Count("pk")
    )
    return Resultats(
        signees=compte["signees"],
        avec_rsa=compte["avec_rsa"],
        assmats=compte["assmats"],
        reprise_activite=compte["assmats"] - occupees,
        actives=compte["actives"],
        cmg_verse=paye["total"] or Decimal(0),
        releves_confirmes=paye["nombre"],
    )


def conventions_a_activer(au: date) -> QuerySet[Convention]:
    return Convention.objects.filter(statut=Statut.SIGNEE, date_debut__lte=au).order_by("pk")


def conventions_echues(au: date) -> QuerySet[Convention]:
    return Convention.objects.filter(statut=Statut.ACTIVE, date_fin__lt=au).order_by("pk")


def actions_possibles(convention: Convention, user) -> frozenset[str]:
    """What `user` may do to the convention now, named by its service: a move `TRANSITIONS` declares from its
    status, and that person's to make (the team and the CAF manage, the CAF activates, each party signs once).
    Pages ask this instead of restating statuses."""
    declarees = {nom for (de, _vers), nom in TRANSITIONS.items() if de == convention.statut}
    actions = set()
    for nom in declarees:
        if nom == "signer_convention":
            signees = signatures_en_vigueur(convention)
            permise = any(partie not in signees for partie in parties_de(user, convention))
        elif nom == "activer_convention":
            permise = user.role == Role.AGENT_CAF
        else:
            permise = user.role in ROLES_GESTION
        if permise:
            actions.add(nom)
    return frozenset(actions)
