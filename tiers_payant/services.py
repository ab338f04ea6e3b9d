"""Writes on conventions and monthly statements: one function per transition, each doing the same steps
in the same order (access check, status check, mutation with update_fields, history row)."""

from dataclasses import asdict, dataclass, fields
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assmats.permissions import assmats_for_user
from comptes.compteurs import prochaine_reference
from comptes.models import Role, User
from relais.models import Commune, Relais
from relais.permissions import relais_for_user
from tiers_payant import pdf, selectors
from tiers_payant.cmg import Famille, Garde, ParametresIndisponibles, ResultatCmg, calculer_cmg, officiels
from tiers_payant.cmg.baremes import mois_en_clair
from tiers_payant.models import (
    CompteurReference,
    Convention,
    DocumentConvention,
    HistoriqueConvention,
    ReleveMensuel,
    SignatureConvention,
    Statut,
    statuts_de_depart,
)
from tiers_payant.permissions import (
    access_convention_for_user,
    access_releve_for_user,
    est_assmat,
    est_famille,
    exiger_gestionnaire,
    parties_de,
)

if TYPE_CHECKING:  # the dependency rule: assmats is used through its selectors, services and permissions
    from assmats.models import AssistantMaternel


class TransitionInterdite(Exception):
    """The convention's status does not allow this action; the message is shown to the user."""


class SaisieRefusee(TransitionInterdite):
    """A typed value is refused; `champ` names the form field the message is shown beside."""

    def __init__(self, message: str, *, champ: str):
        self.champ = champ
        super().__init__(message)


class ConventionIneligible(TransitionInterdite):
    def __init__(self, motifs: list[str]):
        self.motifs = motifs
        super().__init__("La famille n'est pas éligible au tiers payant : " + " ".join(motifs))


@dataclass(frozen=True)
class Termes:
    """Everything a convention's parties agree on. Changing any of it after a signature voids them."""

    relais: Relais
    parent: User
    parent2: User | None
    commune_famille: Commune
    enfant_prenom: str
    enfant_naissance: date
    assistant_maternel: "AssistantMaternel"
    date_debut: date
    duree_mois: int
    heures_mensuelles: Decimal
    salaire_horaire: Decimal
    indemnites_entretien: Decimal
    indemnites_repas: Decimal
    ressources_mensuelles: Decimal
    enfants_a_charge: int
    parent_isole: bool
    rsa: bool
    aeeh: bool
    aah: bool

    @classmethod
    def noms(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def de(cls, convention: Convention) -> "Termes":
        return cls(**{nom: getattr(convention, nom) for nom in cls.noms()})


def famille_de(termes: Termes | Convention) -> Famille:
    return Famille(
        ressources_mensuelles=termes.ressources_mensuelles,
        enfants_a_charge=termes.enfants_a_charge,
        parent_isole=termes.parent_isole,
        aeeh=termes.aeeh,
        aah=termes.aah,
    )


def estimer_cmg(termes: Termes | Convention) -> ResultatCmg:
    """The CMG of the first month under the planned terms (raises ParametresIndisponibles)."""
    return calculer_cmg(
        famille=famille_de(termes),
        garde=Garde(
            mois=termes.date_debut,
            naissance=termes.enfant_naissance,
            heures=termes.heures_mensuelles,
            salaire_horaire=termes.salaire_horaire,
            indemnites=termes.indemnites_entretien + termes.indemnites_repas,
        ),
    )


def _en_json(valeur: Any) -> Any:
    if isinstance(valeur, dict):
        return {cle: _en_json(v) for cle, v in valeur.items()}
    if isinstance(valeur, (list, tuple)):
        return [_en_json(v) for v in valeur]
    if isinstance(valeur, (Decimal, date)):
        return str(valeur)
    return valeur


def calcul_en_json(resultat: ResultatCmg) -> dict:
    """The engine's figures, intermediate values included, as JSON strings (exact decimals)."""
    donnees = asdict(resultat)
    donnees.pop("sources")
    return _en_json(donnees)


def _historiser(convention: Convention, de: str, par: User | None, note: str = "") -> HistoriqueConvention:
    return HistoriqueConvention.objects.create(
        convention=convention, de=de, vers=convention.statut, auteur=par, note=note
    )


def exiger_transition(convention: Convention, service: str) -> None:
    """Refuses, in French, a move that `TRANSITIONS` does not declare from the convention's status."""
    exiger_statut(convention, statuts_de_depart(service))


def exiger_statut(convention: Convention, autorises: set[str] | frozenset[str] | tuple[str, ...]) -> None:
    if convention.statut not in autorises:
        raise TransitionInterdite(
            f"Action impossible : la convention {convention.reference} est au statut "
            f"« {convention.get_statut_display()} »."
        )


def _verifier_perimetre(par: User, termes: Termes) -> None:
    """The relais and the childminder must be among those the preparer sees."""
    if not relais_for_user(par).filter(pk=termes.relais.pk).exists():
        raise PermissionDenied("Ce relais n'est pas dans votre périmètre.")
    if not assmats_for_user(par).filter(pk=termes.assistant_maternel.pk).exists():
        raise PermissionDenied("Cet assistant maternel n'est pas dans votre périmètre.")
    if termes.parent.role != Role.PARENT or (termes.parent2 and termes.parent2.role != Role.PARENT):
        raise TransitionInterdite("Les parents doivent avoir un compte « Parent » sur le portail.")
    if termes.parent2 and termes.parent2.pk == termes.parent.pk:
        raise TransitionInterdite("Le second parent doit avoir un autre compte que le premier.")


def _estimation(termes: Termes) -> dict:
    try:
        resultat = estimer_cmg(termes)
    except ParametresIndisponibles as exc:
        raise TransitionInterdite(f"Estimation du CMG impossible : {exc}") from exc
    return {
        "cmg_estime": resultat.cmg,
        "reste_estime": resultat.reste_a_charge,
        "calcul_cmg": calcul_en_json(resultat),
    }


@transaction.atomic
def preparer_convention(*, par: User, termes: Termes) -> Convention:
    """Un agent de la CAF ou une animatrice prépare un brouillon de convention, avec l'estimation du CMG."""
    exiger_gestionnaire(par)
    _verifier_perimetre(par, termes)
    exiger_salaire_minimum(termes.date_debut, termes.salaire_horaire)
    convention = Convention(
        reference=prochaine_reference(CompteurReference, "TP", timezone.localdate().year),
        created_by=par,
        **asdict_shallow(termes),
        **_estimation(termes),
    )
    convention.save()
    _historiser(convention, "", par, "Convention préparée.")
    return convention


def asdict_shallow(termes: Termes) -> dict:
    # dataclasses.asdict deep-copies model instances; the terms hold model instances.
    return {nom: getattr(termes, nom) for nom in Termes.noms()}


def _libelle(nom: str) -> str:
    return str(Convention._meta.get_field(nom).verbose_name)


@transaction.atomic
def modifier_convention(*, convention_id: int, par: User, termes: Termes) -> Convention:
    """Changer un terme après une signature annule toutes les signatures : la convention revient au brouillon."""
    convention = access_convention_for_user(par, convention_id, lock=True)
    exiger_gestionnaire(par)
    exiger_transition(convention, "modifier_convention")
    _verifier_perimetre(par, termes)
    exiger_salaire_minimum(termes.date_debut, termes.salaire_horaire)
    anciens = Termes.de(convention)
    changes = [nom for nom in Termes.noms() if getattr(anciens, nom) != getattr(termes, nom)]
    if not changes:
        return convention
    for nom in changes:
        setattr(convention, nom, getattr(termes, nom))
    for nom, valeur in _estimation(termes).items():
        setattr(convention, nom, valeur)
    ancien = convention.statut
    note = "Termes modifiés : " + ", ".join(_libelle(nom) for nom in changes) + "."
    annulees = convention.signatures.filter(annulee_le__isnull=True).update(annulee_le=timezone.now())
    if annulees:
        note += f" {annulees} signature{'s' if annulees > 1 else ''} annulée{'s' if annulees > 1 else ''}."
    if ancien != Statut.BROUILLON:
        note += " Le document envoyé pour signature n'est plus valable : la convention revient au brouillon."
    convention.statut = Statut.BROUILLON
    convention.signee_le = None
    convention.save(
        update_fields=[*changes, "cmg_estime", "reste_estime", "calcul_cmg", "statut", "signee_le", "updated_at"]
    )
    # A signed PDF of older terms must not survive as "the" signed document.
    convention.documents.filter(nature=DocumentConvention.Nature.SIGNE).delete()
    _historiser(convention, ancien, par, note)
    return convention


def _stocker(convention: Convention, nature: str, contenu: bytes) -> DocumentConvention:
    return DocumentConvention.objects.create(
        convention=convention, nature=nature, contenu=contenu, sha256=pdf.sha256(contenu), taille=len(contenu)
    )


@transaction.atomic
def envoyer_pour_signature(*, convention_id: int, par: User) -> Convention:
    """Vérifie l'éligibilité, fige le numéro d'agrément et le document que chaque partie signera ; chaque
    parent et l'assistante maternelle reçoivent par e-mail le lien de la page où ils signent."""
    convention = access_convention_for_user(par, convention_id, lock=True)
    exiger_gestionnaire(par)
    exiger_transition(convention, "envoyer_pour_signature")
    eligibilite = selectors.verifier_eligibilite(convention)
    if not eligibilite.eligible:
        raise ConventionIneligible(eligibilite.motifs)
    ancien = convention.statut
    convention.statut = Statut.ENVOYEE
    convention.numero_agrement = convention.assistant_maternel.agrement.numero
    convention.save(update_fields=["statut", "numero_agrement", "updated_at"])
    document = _stocker(convention, DocumentConvention.Nature.A_SIGNER, pdf.rendre_convention(convention))
    _historiser(convention, ancien, par, f"Document à signer : SHA-256 {document.sha256}.")
    from tiers_payant import tasks  # tasks import this module

    transaction.on_commit(lambda: tasks.inviter_a_signer.delay(document.pk))
    return convention


@transaction.atomic
def signer_convention(*, convention_id: int, par: User, empreinte: str) -> SignatureConvention:
    """Chaque partie signe avec son propre compte le document dont elle a vu l'empreinte ; la dernière
    signature rend la convention signée et produit le PDF signé."""
    convention = access_convention_for_user(par, convention_id, lock=True)
    exiger_transition(convention, "signer_convention")
    parties = parties_de(par, convention)
    if not parties:
        raise PermissionDenied("Vous n'êtes pas partie à cette convention.")
    signees = selectors.signatures_en_vigueur(convention)
    restantes = [partie for partie in parties if partie not in signees]
    if not restantes:
        raise TransitionInterdite("Vous avez déjà signé cette convention.")
    document = selectors.document_a_signer(convention)
    if document is None or document.sha256 != empreinte:
        raise TransitionInterdite(
            "Le document a changé depuis que vous l'avez ouvert : relisez la nouvelle version avant de signer."
        )
    signature = SignatureConvention.objects.create(
        convention=convention, partie=restantes[0], user=par, signed_at=timezone.now(), document_sha256=document.sha256
    )
    signees[signature.partie] = signature
    ancien = convention.statut
    if all(partie in signees for partie in convention.parties_attendues()):
        convention.statut, convention.signee_le = Statut.SIGNEE, signature.signed_at
        convention.save(update_fields=["statut", "signee_le", "updated_at"])
        contenu = pdf.rendre_convention(convention, signatures=signees)
        signe = _stocker(convention, DocumentConvention.Nature.SIGNE, contenu)
        note = (
            f"Signature : {signature.get_partie_display()}. Toutes les parties ont signé ; "
            f"PDF signé SHA-256 {signe.sha256}."
        )
    else:
        note = f"Signature : {signature.get_partie_display()}."
    _historiser(convention, ancien, par, note)
    return signature


def _activer(convention: Convention, par: User | None, note: str) -> Convention:
    exiger_transition(convention, "activer_convention")
    ancien = convention.statut
    convention.statut, convention.activee_le = Statut.ACTIVE, timezone.now()
    convention.save(update_fields=["statut", "activee_le", "updated_at"])
    _historiser(convention, ancien, par, note)
    return convention


@transaction.atomic
def activer_convention(*, convention_id: int, par: User) -> Convention:
    """L'agent de la CAF active une convention signée (sans attendre la date de début)."""
    convention = access_convention_for_user(par, convention_id, lock=True)
    if par.role != Role.AGENT_CAF:
        raise PermissionDenied("Seul un agent de la CAF active une convention.")
    return _activer(convention, par, "Activée par la CAF.")


@transaction.atomic
def terminer_convention(*, convention_id: int, par: User, note: str = "") -> Convention:
    """Fin d'une convention active (à son terme, ou plus tôt d'un commun accord)."""
    convention = access_convention_for_user(par, convention_id, lock=True)
    exiger_gestionnaire(par)
    exiger_transition(convention, "terminer_convention")
    return _finir(convention, Statut.TERMINEE, par, min(timezone.localdate(), convention.date_fin), note)


@transaction.atomic
def resilier_convention(*, convention_id: int, par: User, motif: str) -> Convention:
    """Résiliation motivée, à tout moment avant la fin."""
    convention = access_convention_for_user(par, convention_id, lock=True)
    exiger_gestionnaire(par)
    exiger_transition(convention, "resilier_convention")
    motif = motif.strip()
    if not motif:
        raise TransitionInterdite("Indiquez le motif de la résiliation.")
    return _finir(convention, Statut.RESILIEE, par, timezone.localdate(), motif)


def _finir(convention: Convention, vers: str, par: User | None, le: date, motif: str) -> Convention:
    ancien = convention.statut
    convention.statut, convention.date_fin_effective, convention.motif_fin = vers, le, motif
    convention.save(update_fields=["statut", "date_fin_effective", "motif_fin", "updated_at"])
    _historiser(convention, ancien, par, motif)
    return convention


def mettre_a_jour_statuts(*, au: date) -> tuple[int, int]:
    """Daily: signed conventions whose start date has come become active; active ones past their end
    date end. Each convention in its own transaction, locked; idempotent."""
    activees = terminees = 0
    for pk in selectors.conventions_a_activer(au).values_list("pk", flat=True):
        with transaction.atomic():
            convention = Convention.objects.select_for_update().get(pk=pk)
            if convention.statut == Statut.SIGNEE and convention.date_debut <= au:
                _activer(convention, None, "Date de début atteinte.")
                activees += 1
    for pk in selectors.conventions_echues(au).values_list("pk", flat=True):
        with transaction.atomic():
            convention = Convention.objects.select_for_update().get(pk=pk)
            if convention.statut == Statut.ACTIVE and convention.date_fin < au:
                _finir(convention, Statut.TERMINEE, None, convention.date_fin, "Terme de la convention atteint.")
                terminees += 1
    return activees, terminees


# --- Monthly statements ------------------------------------------------------------------------------


def calculer_releve(
    convention: Convention, *, mois: date, heures: Decimal, salaire_horaire: Decimal, indemnites: Decimal
) -> ResultatCmg:
    """The month's CMG under the family situation written in the convention."""
    return calculer_cmg(
        famille=famille_de(convention),
        garde=Garde(
            mois=mois,
            naissance=convention.enfant_naissance,
            heures=heures,
            salaire_horaire=salaire_horaire,
            indemnites=indemnites,
        ),
    )


def mois_declarables(convention: Convention, aujourd_hui: date) -> tuple[date, date]:
    """From the convention's first month to the last month both covered and already ended: hours are
    declared once the month is over, never before the convention starts."""
    fin = min(convention.date_fin, convention.date_fin_effective or convention.date_fin)
    dernier_termine = aujourd_hui.replace(day=1) - relativedelta(months=1)
    return convention.date_debut.replace(day=1), min(fin.replace(day=1), dernier_termine)


def _exiger_mois_declarable(convention: Convention, mois: date) -> None:
    premier, dernier = mois_declarables(convention, timezone.localdate())
    if premier <= mois <= dernier:
        return
    if dernier < premier:
        raise SaisieRefusee(
            f"Aucun mois ne peut encore être déclaré : le relevé de {mois_en_clair(premier)}, premier mois de la "
            f"convention, se déclare à partir du 1er {mois_en_clair(premier + relativedelta(months=1))}.",
            champ="mois",
        )
    raise SaisieRefusee(
        f"Choisissez un mois terminé et couvert par la convention : entre {mois_en_clair(premier)} et "
        f"{mois_en_clair(dernier)}.",
        champ="mois",
    )


def exiger_salaire_minimum(mois: date, salaire_horaire: Decimal) -> None:
    """The legal minimum of the month (`salaire_minimum.json`), for a statement and for a convention's first month."""
    try:
        parametre = officiels().valeur("salaire_minimum", mois).valeur
    except ParametresIndisponibles as exc:
        raise SaisieRefusee(f"Salaire minimum inconnu : {exc}", champ="mois") from exc
    minimum, part = parametre["minimum_horaire_net"], str(parametre["part_du_smic"]).replace(".", ",")
    if salaire_horaire < minimum:
        raise SaisieRefusee(
            f"Le salaire horaire net ne peut pas être inférieur au minimum légal d'un·e assistant·e maternel·le, "
            f"{selectors.euros(minimum)} net par heure et par enfant en {mois_en_clair(mois)} ({part} fois le SMIC "
            "horaire brut).",
            champ="salaire_horaire",
        )


def _resultat_du_mois(convention: Convention, **saisie) -> ResultatCmg:
    try:
        return calculer_releve(convention, **saisie)
    except ParametresIndisponibles as exc:
        raise TransitionInterdite(f"Calcul du CMG impossible : {exc}") from exc


@transaction.atomic
def declarer_releve(
    *, convention_id: int, par: User, mois: date, heures: Decimal, salaire_horaire: Decimal, indemnites: Decimal
) -> ReleveMensuel:
    """L'assistante maternelle déclare les heures et le salaire d'un mois ; le CMG du mois est calculé.
    Tant que le parent n'a pas confirmé, elle peut corriger sa déclaration."""
    convention = access_convention_for_user(par, convention_id, lock=True)
    if not est_assmat(par, convention):
        raise PermissionDenied("Seul·e l'assistant·e maternel·le de la convention déclare les heures.")
    if convention.activee_le is None or convention.statut not in (Statut.ACTIVE, Statut.TERMINEE, Statut.RESILIEE):
        raise TransitionInterdite("Les relevés commencent quand la convention est active.")
    mois = mois.replace(day=1)
    _exiger_mois_declarable(convention, mois)
    exiger_salaire_minimum(mois, salaire_horaire)
    releve = ReleveMensuel.objects.select_for_update().filter(convention=convention, mois=mois).first()
    if releve and releve.confirme:
        raise TransitionInterdite(f"Le relevé de {mois:%m/%Y} est déjà confirmé par la famille.")
    resultat = _resultat_du_mois(
        convention, mois=mois, heures=heures, salaire_horaire=salaire_horaire, indemnites=indemnites
    )
    valeurs = {
        "heures": heures,
        "salaire_horaire": salaire_horaire,
        "indemnites": indemnites,
        "saisi_par": par,
        "saisi_le": timezone.now(),
        "cout_mensuel": resultat.cout_mensuel,
        "cmg": resultat.cmg,
        "reste_a_charge": resultat.reste_a_charge,
        "regime": resultat.regime,
    }
    if releve is None:
        return ReleveMensuel.objects.create(convention=convention, mois=mois, **valeurs)
    corrige_apres_contestation = releve.conteste
    if corrige_apres_contestation:
        # The correction answers the dispute: the parent reads the new figures and confirms or disputes again.
        valeurs |= {"conteste_par": None, "conteste_le": None, "motif_contestation": ""}
    for nom, valeur in valeurs.items():
        setattr(releve, nom, valeur)
    releve.save(update_fields=list(valeurs))
    if corrige_apres_contestation:
        _historiser(convention, convention.statut, par, f"Relevé de {mois:%m/%Y} corrigé après contestation.")
    return releve


@transaction.atomic
def confirmer_releve(*, releve_id: int, par: User) -> ReleveMensuel:
    """Un parent confirme le relevé ; le CMG est recalculé sur les montants confirmés et devient payable."""
    releve = access_releve_for_user(par, releve_id, lock=True)
    convention = releve.convention
    if not est_famille(par, convention):
        raise PermissionDenied("Seuls les parents de la convention confirment un relevé.")
    if releve.confirme:
        raise TransitionInterdite(f"Le relevé de {releve.mois:%m/%Y} est déjà confirmé.")
    if releve.conteste:
        raise TransitionInterdite(
            f"Le relevé de {releve.mois:%m/%Y} est contesté : il se confirme une fois corrigé par l'assistant·e "
            "maternel·le."
        )
    resultat = _resultat_du_mois(
        convention,
        mois=releve.mois,
        heures=releve.heures,
        salaire_horaire=releve.salaire_horaire,
        indemnites=releve.indemnites,
    )
    releve.cout_mensuel, releve.cmg, releve.reste_a_charge = (
        resultat.cout_mensuel,
        resultat.cmg,
        resultat.reste_a_charge,
    )
    releve.regime, releve.confirme_par, releve.confirme_le = resultat.regime, par, timezone.now()
    releve.save(update_fields=["cout_mensuel", "cmg", "reste_a_charge", "regime", "confirme_par", "confirme_le"])
    return releve


@transaction.atomic
def contester_releve(*, releve_id: int, par: User, motif: str) -> ReleveMensuel:
    """Un parent conteste le relevé déclaré, motif à l'appui : le relais en est prévenu et l'assistante
    maternelle le corrige ; rien n'est payable tant que la famille n'a pas confirmé."""
    releve = access_releve_for_user(par, releve_id, lock=True)
    convention = releve.convention
    if not est_famille(par, convention):
        raise PermissionDenied("Seuls les parents de la convention contestent un relevé.")
    if releve.confirme:
        raise TransitionInterdite(f"Le relevé de {releve.mois:%m/%Y} est déjà confirmé : il ne se conteste plus.")
    if releve.conteste:
        raise TransitionInterdite(f"Le relevé de {releve.mois:%m/%Y} est déjà contesté : sa correction est attendue.")
    motif = motif.strip()
    if not motif:
        raise SaisieRefusee("Indiquez ce qui est inexact dans le relevé.", champ="motif")
    releve.conteste_par, releve.conteste_le, releve.motif_contestation = par, timezone.now(), motif
    releve.save(update_fields=["conteste_par", "conteste_le", "motif_contestation"])
    _historiser(convention, convention.statut, par, f"Relevé de {releve.mois:%m/%Y} contesté : {motif}")
    from tiers_payant import tasks  # tasks import this module

    # Read by the view, so that the page says the relais is told only when an e-mail is queued.
    releve.relais_prevenu = bool(convention.relais.email)
    if releve.relais_prevenu:
        transaction.on_commit(lambda: tasks.notifier_contestation.delay(releve.pk))
    return releve
