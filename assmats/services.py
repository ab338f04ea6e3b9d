"""Writes on the offer: one function per action, each in a transaction."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assmats import cache_de_la_recherche, tasks
from assmats.models import (
    MAX_ENFANTS_SIMULTANES,
    MAX_MOINS_DE_3_ANS,
    Accueil,
    Agrement,
    AssistantMaternel,
    Disponibilite,
    DisponibiliteStructure,
    Entretien,
    HistoriqueAffichage,
    LabelAvip,
    ParametresOffre,
    RelanceAffichage,
    SignalementSousActivite,
    Structure,
    TrancheAge,
    tranche_age,
)
from assmats.permissions import access_assmat_for_user, access_signalement_for_user, assmats_for_user
from assmats.selectors import destinataires_de_la_relance, places_libres, relance_recente
from comptes.models import User
from relais.models import Relais
from relais.selectors import get_relais_de_la_commune


class ActionRefusee(ValueError):
    """A business rule refused the action; the message is French and shown to the user, beside `champ` (a form
    field's name) when the rule is about one."""

    def __init__(self, message: str, *, champ: str | None = None) -> None:
        super().__init__(message)
        self.champ = champ


def lier_compte(*, user: User) -> AssistantMaternel | None:
    """A childminder opening an account finds the file the PMI import already created for her e-mail."""
    with transaction.atomic():
        fiche = (
            AssistantMaternel.objects.select_for_update()
            .filter(user__isnull=True, email__iexact=user.email)
            .order_by("pk")
            .first()
        )
        if fiche is not None:
            fiche.user = user
            fiche.save(update_fields=["user", "updated_at"])
        return fiche


def verifier_places_offertes(disponibilite: Disponibilite) -> None:
    """Offered places may not exceed what the agrément and the children in care leave free."""
    libres = places_libres(disponibilite.assistant_maternel, disponibilite.a_partir_du)
    if disponibilite.places_moins_3_ans > libres.moins_3_ans or disponibilite.places_plus_3_ans > libres.plus_3_ans:
        raise ActionRefusee(
            f"Au {disponibilite.a_partir_du:%d/%m/%Y}, votre agrément, les enfants que vous accueillez et ceux de vos "
            f"conventions de tiers payant laissent {libres.phrase.lower()} : vous ne pouvez pas en proposer davantage."
        )


def _verrouiller_fiche(assmat_id: int) -> AssistantMaternel:
    """Her consent and her confirmations are written one transaction after the other, the time read after the
    lock: the display history's order is the order of the changes, and each event carries the consent as it
    really is at that moment."""
    return AssistantMaternel.objects.select_for_update().get(pk=assmat_id)


def _noter_affichage(fiche: AssistantMaternel, *, le: datetime, confirmation: bool) -> None:
    HistoriqueAffichage.objects.create(
        assistant_maternel=fiche, le=le, affiche=fiche.afficher_disponibilites, confirmation=confirmation
    )


@transaction.atomic
def enregistrer_profil(*, assmat: AssistantMaternel) -> AssistantMaternel:
    """Saves the file (built by the form). Creating it, or giving or withdrawing the consent to display her
    availability, is dated in the display history; without that consent her phone is not shown either."""
    avant = None if assmat.pk is None else _verrouiller_fiche(assmat.pk).afficher_disponibilites
    if not assmat.afficher_disponibilites:
        assmat.afficher_telephone = False
    assmat.save()
    if avant is None or avant != assmat.afficher_disponibilites:
        _noter_affichage(assmat, le=timezone.now(), confirmation=False)
    cache_de_la_recherche.oublier()
    return assmat


@transaction.atomic
def declarer_disponibilites(*, disponibilite: Disponibilite) -> Disponibilite:
    """Saves the declaration (built by the form) as confirmed now."""
    fiche = _verrouiller_fiche(disponibilite.assistant_maternel_id)
    verifier_places_offertes(disponibilite)
    disponibilite.confirmee_le = timezone.now()
    disponibilite.rappel_envoye_le = None
    disponibilite.save()
    _noter_affichage(fiche, le=disponibilite.confirmee_le, confirmation=True)
    cache_de_la_recherche.oublier()
    return disponibilite


@transaction.atomic
def confirmer_disponibilites(*, assmat: AssistantMaternel) -> Disponibilite:
    """One click: "my availability is still true"."""
    fiche = _verrouiller_fiche(assmat.pk)
    try:
        disponibilite = Disponibilite.objects.select_for_update().get(assistant_maternel=fiche)
    except Disponibilite.DoesNotExist:
        raise ActionRefusee("Vous n'avez pas encore déclaré de disponibilités.") from None
    verifier_places_offertes(disponibilite)
    disponibilite.confirmee_le = timezone.now()
    disponibilite.save(update_fields=["confirmee_le"])
    _noter_affichage(fiche, le=disponibilite.confirmee_le, confirmation=True)
    cache_de_la_recherche.oublier()
    return disponibilite


@transaction.atomic
def signaler_sous_activite(
    *, assmat: AssistantMaternel, depuis: date, places_inoccupees: int, commentaire: str = ""
) -> SignalementSousActivite:
    """One report at a time: it waits for the interview the relais offers (mission 2 (a)), and counts places within
    what her agrément allows."""
    fiche = _verrouiller_fiche(assmat.pk)
    if depuis > timezone.localdate():
        raise ActionRefusee("La date de début de sous-activité ne peut pas être dans le futur.", champ="depuis")
    agrement = Agrement.objects.filter(assistant_maternel=fiche).first()
    if agrement is None:
        raise ActionRefusee(
            "Enregistrez d'abord votre agrément : les places inoccupées se comptent sur ce qu'il autorise.",
            champ="places_inoccupees",
        )
    if places_inoccupees > agrement.capacite_totale:
        raise ActionRefusee(
            f"Votre agrément autorise {agrement.capacite_totale} enfant(s) : vous ne pouvez pas signaler "
            f"{places_inoccupees} places inoccupées.",
            champ="places_inoccupees",
        )
    if en_attente := fiche.signalements_sous_activite.filter(traite_le__isnull=True).first():
        raise ActionRefusee(
            f"Vous avez déjà signalé une sous-activité le {timezone.localtime(en_attente.signale_le):%d/%m/%Y} : "
            "votre relais vous proposera un entretien. Vous pourrez en signaler une nouvelle après cet entretien."
        )
    signalement = SignalementSousActivite.objects.create(
        assistant_maternel=fiche, depuis=depuis, places_inoccupees=places_inoccupees, commentaire=commentaire
    )
    transaction.on_commit(lambda: tasks.notifier_relais_sous_activite.delay(signalement.pk))
    return signalement


@transaction.atomic
def proposer_entretien(*, signalement_id: int, par: User, type: str, date_entretien: datetime) -> Entretien:
    """The relais offers an interview after an under-activity report (mission 2 (a))."""
    signalement = access_signalement_for_user(par, signalement_id)
    if date_entretien < signalement.signale_le:
        raise ActionRefusee("L'entretien ne peut pas avoir lieu avant le signalement.")
    entretien = Entretien.objects.create(
        signalement=signalement, type=type, date_entretien=date_entretien, propose_par=par
    )
    transaction.on_commit(lambda: tasks.envoyer_proposition_entretien.delay(entretien.pk))
    return entretien


@transaction.atomic
def enregistrer_issue_entretien(*, entretien_id: int, par: User, issue: str) -> Entretien:
    """An outcome says what happened: never before the interview's time. It closes the report, so that the
    childminder may report a new under-activity."""
    entretien = _entretien_pour(par, entretien_id)
    if issue not in Entretien.Issue.values:
        raise ActionRefusee("Issue inconnue.", champ="issue")
    maintenant = timezone.now()
    if entretien.date_entretien > maintenant:
        raise ActionRefusee(
            f"L'entretien est prévu le {timezone.localtime(entretien.date_entretien):%d/%m/%Y à %H:%M} : "
            "son issue ne peut être enregistrée qu'après.",
            champ="issue",
        )
    entretien.issue, entretien.issue_le = issue, maintenant
    entretien.save(update_fields=["issue", "issue_le"])
    SignalementSousActivite.objects.filter(pk=entretien.signalement_id, traite_le__isnull=True).update(
        traite_le=maintenant
    )
    return entretien


def _entretien_pour(user: User, entretien_id: int) -> Entretien:
    return get_object_or_404(
        Entretien.objects.select_for_update(of=("self",)).filter(
            signalement__assistant_maternel__in=assmats_for_user(user)
        ),
        pk=entretien_id,
    )


@transaction.atomic
def accorder_label_avip(*, assmat_id: int, par: User, date_debut: date) -> LabelAvip:
    assmat = access_assmat_for_user(par, assmat_id, lock=True)
    if LabelAvip.objects.filter(assistant_maternel=assmat, date_fin__isnull=True).exists():
        raise ActionRefusee("Cette assistante maternelle est déjà labellisée AVIP.")
    return LabelAvip.objects.create(assistant_maternel=assmat, date_debut=date_debut, accorde_par=par)


@transaction.atomic
def retirer_label_avip(*, assmat_id: int, par: User, date_fin: date) -> LabelAvip:
    assmat = access_assmat_for_user(par, assmat_id, lock=True)
    label = LabelAvip.objects.filter(assistant_maternel=assmat, date_fin__isnull=True).first()
    if label is None:
        raise ActionRefusee("Aucun label AVIP en cours à retirer.")
    if date_fin < label.date_debut:
        raise ActionRefusee("Le retrait ne peut pas précéder l'attribution du label.")
    label.date_fin, label.retire_par = date_fin, par
    label.save(update_fields=["date_fin", "retire_par"])
    return label


@transaction.atomic
def lancer_relance_affichage(*, relais: Relais, par: User) -> RelanceAffichage:
    """E-mails, in the background, the childminders of the territory who do not display their availability.

    A second round within the staleness period is refused, not merely confirmed: a childminder reminded less
    than that ago still has time to act before her availability lapses, the legal half-yearly reminder goes out
    on its own, and a double click or two animatrices of the same team must not send her the same e-mail twice.
    """
    Relais.objects.select_for_update().filter(pk=relais.pk).order_by("pk").first()  # one round at a time
    if precedente := relance_recente(relais):
        prochaine = timezone.localtime(precedente.created_at) + relativedelta(
            months=ParametresOffre.courants().mois_avant_peremption
        )
        raise ActionRefusee(
            f"Une relance a déjà été envoyée le {timezone.localtime(precedente.created_at):%d/%m/%Y} "
            f"à {precedente.destinataires} assistante(s) maternelle(s) : la suivante est possible à partir du "
            f"{prochaine:%d/%m/%Y}."
        )
    destinataires = destinataires_de_la_relance(relais).count()
    if destinataires == 0:
        raise ActionRefusee("Toutes les assistantes maternelles agréées affichent déjà leurs disponibilités.")
    relance = RelanceAffichage.objects.create(relais=relais, lancee_par=par, destinataires=destinataires)
    transaction.on_commit(lambda: tasks.envoyer_relance_affichage.delay(relance.pk))
    return relance


def _dates_a_verifier(accueil: Accueil, autres: list[Accueil]) -> set[date]:
    """Occupancy only grows when a child starts: checking those dates covers the whole period."""
    dates = {accueil.date_debut}
    for autre in autres:
        if autre.date_debut > accueil.date_debut and (
            accueil.date_fin is None or autre.date_debut <= accueil.date_fin
        ):
            dates.add(autre.date_debut)
    return dates


@transaction.atomic
def enregistrer_accueil(*, assmat: AssistantMaternel, accueil: Accueil) -> Accueil:
    """Adds or changes a child in care, within the agrément and art. L421-4 CASF."""
    assmat = AssistantMaternel.objects.select_for_update(of=("self",)).select_related("agrement").get(pk=assmat.pk)
    agrement = getattr(assmat, "agrement", None)
    if agrement is None:
        raise ActionRefusee(
            "Renseignez d'abord votre agrément : il fixe le nombre d'enfants que vous pouvez accueillir."
        )
    autres = [a for a in assmat.accueils.all() if a.pk != accueil.pk]
    capacite = min(agrement.capacite_totale, MAX_ENFANTS_SIMULTANES)
    capacite_moins_3 = min(agrement.capacite_moins_3_ans, MAX_MOINS_DE_3_ANS)
    for au in sorted(_dates_a_verifier(accueil, autres)):
        presents = [a for a in autres if a.present(au)] + [accueil]
        if len(presents) > capacite:
            raise ActionRefusee(
                f"Le {au:%d/%m/%Y}, cet accueil porterait à {len(presents)} le nombre d'enfants présents, "
                f"au-delà des {capacite} de votre agrément."
            )
        moins_3 = sum(1 for a in presents if tranche_age(a.date_naissance, au) == TrancheAge.MOINS_3)
        if tranche_age(accueil.date_naissance, au) == TrancheAge.MOINS_3 and moins_3 > capacite_moins_3:
            raise ActionRefusee(
                f"Le {au:%d/%m/%Y}, cet accueil porterait à {moins_3} le nombre d'enfants de moins de 3 ans, "
                f"au-delà des {capacite_moins_3} de votre agrément."
            )
    accueil.assistant_maternel = assmat
    accueil.save()
    cache_de_la_recherche.oublier()
    return accueil


@transaction.atomic
def supprimer_accueil(*, accueil: Accueil) -> None:
    """Removing a child only frees places: no capacity to check."""
    accueil.delete()
    cache_de_la_recherche.oublier()


@transaction.atomic
def enregistrer_agrement(*, assmat: AssistantMaternel, agrement: Agrement) -> Agrement:
    """She copies the PMI's decision; a new expiry date deserves a new reminder."""
    agrement.assistant_maternel = assmat
    agrement.rappel_expiration_envoye_le = None
    agrement.save()
    cache_de_la_recherche.oublier()
    return agrement


@transaction.atomic
def enregistrer_structure(*, structure: Structure) -> Structure:
    structure.save()
    cache_de_la_recherche.oublier()
    return structure


@transaction.atomic
def declarer_places_structure(
    *, structure: Structure, disponibilite: DisponibiliteStructure, par: User
) -> DisponibiliteStructure:
    """The relais' team declares the free places of a structure of its territory, from a date."""
    disponibilite.structure, disponibilite.declaree_par = structure, par
    disponibilite.save()
    cache_de_la_recherche.oublier()
    return disponibilite


@transaction.atomic
def transmettre_message_au_relais(
    *, assmat: AssistantMaternel, nom: str, email: str, telephone: str, message: str
) -> Relais:
    """A family writes to a childminder whose phone is not shown: the message goes to her relais, which passes
    it on (her contact details stay private); the relais' reply goes to the family's address."""
    relais = get_relais_de_la_commune(assmat.commune)
    if relais is None or not relais.email:
        raise ActionRefusee(
            "Le relais de cette commune ne reçoit pas encore de message en ligne : appelez-le, ses coordonnées "
            "sont dans la liste des relais."
        )
    transaction.on_commit(lambda: tasks.transmettre_message_au_relais.delay(assmat.pk, nom, email, telephone, message))
    return relais
