"""Writes on AVIP places and PEPIT parcours. One function per transition, the same steps in the same order:
access check (locking the request), state checks, mutation with update_fields, history row, e-mails in the
same transaction (the outbox sends them once it commits)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from comptes.models import User
from demandes.models import STATUTS_OUVERTS, Demande, Statut, sujet_des_emails
from demandes.permissions import access_demande_for_user, exiger_relais
from insertion import selectors
from insertion.models import (
    MOIS_DU_PARCOURS,
    RENOUVELLEMENTS_AVIP_MAX,
    AttributionAvip,
    ContactParcours,
    HistoriqueAvip,
    ParcoursAttentionne,
    fin_de_la_place,
    plus_mois,
    statuts_de_depart,
)
from insertion.permissions import attributions_for_user, parcours_for_user
from relais.emails import envoyer_pour_le_relais

# A place or a parcours is given to a request the relais has taken on, open or just solved.
STATUTS_DE_SUIVI = frozenset(STATUTS_OUVERTS) - {Statut.NOUVELLE} | {Statut.SOLUTION_TROUVEE}
# A start typed a year ahead is a typo, not a plan.
AVANCE_MAX = timedelta(days=366)


class ActionRefusee(Exception):
    """A refused action; the message is French and shown to the user as is."""


def _exiger_suivi(demande: Demande) -> None:
    if demande.statut == Statut.NOUVELLE:
        raise ActionRefusee("Prenez d'abord la demande en charge.")
    if demande.statut not in STATUTS_DE_SUIVI:
        raise ActionRefusee(f"La demande est au statut « {demande.get_statut_display()} » : elle n'est plus suivie.")


def _exiger_date(jour: date, *, libelle: str, au_plus_tot: date | None = None, au_plus_tard: date | None = None):
    if au_plus_tot is not None and jour < au_plus_tot:
        raise ActionRefusee(f"{libelle} ne peut pas précéder le {au_plus_tot:%d/%m/%Y}.")
    if au_plus_tard is not None and jour > au_plus_tard:
        raise ActionRefusee(f"{libelle} ne peut pas dépasser le {au_plus_tard:%d/%m/%Y}.")


def _historiser(attribution: AttributionAvip, evenement: str, par: User | None, note: str = "") -> None:
    HistoriqueAvip.objects.create(attribution=attribution, evenement=evenement, auteur=par, note=note)


# --- AVIP places -----------------------------------------------------------------------------------------------


def _place_en_cours(par: User, demande: Demande, service: str) -> AttributionAvip:
    """The request's running place, locked; its status must allow `service` (`AttributionAvip.TRANSITIONS`)."""
    attribution = (
        attributions_for_user(par)
        .filter(demande=demande, statut__in=statuts_de_depart(AttributionAvip, service))
        .select_for_update(of=("self",))
        .first()
    )
    if attribution is None:
        raise ActionRefusee("Aucune place AVIP n'est en cours pour cette demande.")
    return attribution


@transaction.atomic
def attribuer_place_avip(*, demande_id: int, structure_id: int, debut: date, par: User) -> AttributionAvip:
    """L'animatrice attribue à la famille une place AVIP d'une crèche de son territoire, pour 3 mois."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    _exiger_suivi(demande)
    if not selectors.parent_en_insertion(demande):
        raise ActionRefusee(
            "Les places AVIP sont réservées aux parents en recherche d'emploi, en formation ou en parcours "
            "d'insertion : la situation déclarée dans la demande ne l'indique pas."
        )
    aujourd_hui = timezone.localdate()
    fin = fin_de_la_place(debut, 0)
    if fin <= aujourd_hui:
        raise ActionRefusee(f"Une place commencée le {debut:%d/%m/%Y} serait déjà terminée : vérifiez la date.")
    _exiger_date(debut, libelle="Le début de la place", au_plus_tard=aujourd_hui + AVANCE_MAX)
    # Locked: two animatrices giving the crèche's last AVIP place at the same time are counted one after the other.
    structure = (
        selectors.structures_avip_for_user(par, relais_id=demande.relais_id)
        .select_for_update(of=("self",))
        .filter(pk=structure_id)
        .first()
    )
    if structure is None:
        raise ActionRefusee("Choisissez une crèche de votre territoire qui dispose de places AVIP.")
    if selectors.places_avip_occupees(structure.pk) >= structure.places_avip:
        raise ActionRefusee(f"Les {structure.places_avip} places AVIP de {structure.nom} sont toutes attribuées.")
    if AttributionAvip.objects.filter(demande=demande, statut=AttributionAvip.Statut.EN_COURS).exists():
        raise ActionRefusee("Une place AVIP est déjà en cours pour cette demande : renouvelez-la ou mettez-y fin.")
    if AttributionAvip.objects.filter(demande=demande, renouvellements=RENOUVELLEMENTS_AVIP_MAX).exists():
        raise ActionRefusee("La famille a déjà eu une place AVIP renouvelée : elle ne peut pas en avoir une nouvelle.")
    attribution = AttributionAvip.objects.create(
        demande=demande, structure=structure, debut=debut, fin=fin, attribuee_par=par
    )
    _historiser(attribution, HistoriqueAvip.Evenement.ATTRIBUEE, par, f"{structure.nom}, à partir du {debut:%d/%m/%Y}")
    return attribution


@transaction.atomic
def renouveler_place_avip(*, demande_id: int, par: User) -> AttributionAvip:
    """Une seule fois : la place court 3 mois de plus, jusqu'à 6 mois après son début."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    attribution = _place_en_cours(par, demande, "renouveler_place_avip")
    if attribution.renouvellements >= RENOUVELLEMENTS_AVIP_MAX:
        raise ActionRefusee(
            "Une place AVIP ne se renouvelle qu'une fois : celle-ci l'a déjà été et s'arrête le "
            f"{attribution.fin:%d/%m/%Y}."
        )
    if attribution.fin < timezone.localdate():
        raise ActionRefusee(
            f"La place s'est terminée le {attribution.fin:%d/%m/%Y} : elle ne peut plus être renouvelée."
        )
    attribution.renouvellements += 1
    attribution.fin = fin_de_la_place(attribution.debut, attribution.renouvellements)
    attribution.save(update_fields=["renouvellements", "fin"])
    _historiser(attribution, HistoriqueAvip.Evenement.RENOUVELEE, par, f"Jusqu'au {attribution.fin:%d/%m/%Y}")
    return attribution


@transaction.atomic
def terminer_place_avip(*, demande_id: int, par: User, le: date, motif: str) -> AttributionAvip:
    """Fin anticipée (emploi trouvé, déménagement, autre mode d'accueil…), avec son motif."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    attribution = _place_en_cours(par, demande, "terminer_place_avip")
    motif = motif.strip()
    if not motif:
        raise ActionRefusee("Indiquez pourquoi la place se termine avant son terme.")
    _exiger_date(le, libelle="La fin de la place", au_plus_tot=attribution.debut)
    if le >= attribution.fin:
        raise ActionRefusee(
            f"La place se termine d'elle-même le {attribution.fin:%d/%m/%Y} : une fin anticipée est antérieure."
        )
    attribution.statut = AttributionAvip.Statut.TERMINEE
    attribution.terminaison = AttributionAvip.Terminaison.ANTICIPEE
    attribution.terminee_le, attribution.motif_fin = le, motif
    attribution.save(update_fields=["statut", "terminaison", "terminee_le", "motif_fin"])
    _historiser(attribution, HistoriqueAvip.Evenement.TERMINEE, par, motif)
    return attribution


def terminer_places_echues(*, aujourd_hui: date | None = None) -> int:
    """The nightly pass: a place whose last period is over ends at its term. Idempotent."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    terminees = 0
    for pk in selectors.attributions_echues(aujourd_hui).values_list("pk", flat=True):
        with transaction.atomic():
            attribution = (
                selectors.attributions_echues(aujourd_hui).select_for_update(skip_locked=True).filter(pk=pk).first()
            )
            if attribution is None:
                continue
            attribution.statut = AttributionAvip.Statut.TERMINEE
            attribution.terminaison = AttributionAvip.Terminaison.TERME
            attribution.terminee_le = attribution.fin
            attribution.save(update_fields=["statut", "terminaison", "terminee_le"])
            _historiser(attribution, HistoriqueAvip.Evenement.TERME, None)
            terminees += 1
    return terminees


def _envoyer(modele: str, destinataires: list[str], contexte: dict, demande: Demande) -> None:
    for destinataire in dict.fromkeys(d for d in destinataires if d):
        envoyer_pour_le_relais(
            f"insertion/emails/{modele}", destinataire, contexte, demande.relais, sujet_de=sujet_des_emails(demande.pk)
        )


def rappeler_fins_de_periode(*, aujourd_hui: date | None = None) -> int:
    """Daily: JOURS_AVANT_LA_FIN_POUR_LE_RAPPEL days before a period's end, the animatrice who gave the place and
    the family are reminded, once per period. Each place is marked in the transaction that writes its e-mails,
    so that a rerun, or a second worker, sends nothing twice."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    envoyes = 0
    for pk in selectors.attributions_a_rappeler(aujourd_hui).values_list("pk", flat=True):
        with transaction.atomic():
            attribution = (
                selectors.attributions_a_rappeler(aujourd_hui)
                .select_for_update(of=("self",), skip_locked=True)
                .select_related("demande__relais__commune_siege", "demande__parent", "structure", "attribuee_par")
                .filter(pk=pk)
                .first()
            )
            if attribution is None:
                continue
            demande = attribution.demande
            contexte = {
                "attribution": attribution,
                "demande": demande,
                "renouvelable": attribution.peut_etre_renouvelee,
                "lien": settings.SITE_URL + reverse("demandes:detail", args=[demande.pk]),
            }
            _envoyer("rappel_avip_equipe", [attribution.attribuee_par.email], contexte, demande)
            famille = [demande.parent.email]
            if demande.second_responsable_id:
                famille.append(demande.second_responsable.email)
            _envoyer("rappel_avip_famille", famille, contexte, demande)
            attribution.rappel_envoye_pour = attribution.fin
            attribution.save(update_fields=["rappel_envoye_pour"])
            _historiser(attribution, HistoriqueAvip.Evenement.RAPPEL, None, f"Fin du {attribution.fin:%d/%m/%Y}")
            envoyes += 1
    return envoyes


# --- PEPIT parcours attentionné --------------------------------------------------------------------------------


def _parcours_ouvert(par: User, demande: Demande) -> ParcoursAttentionne:
    # Contacts are noted, and the parcours closed, while it is open: the statuses `cloturer_parcours` leaves.
    parcours = (
        parcours_for_user(par)
        .filter(demande=demande, statut__in=statuts_de_depart(ParcoursAttentionne, "cloturer_parcours"))
        .select_for_update(of=("self",))
        .first()
    )
    if parcours is None:
        raise ActionRefusee("Aucun parcours attentionné n'est ouvert pour cette demande.")
    return parcours


@transaction.atomic
def ouvrir_parcours(*, demande_id: int, debut: date, par: User) -> ParcoursAttentionne:
    """Un parcours attentionné de 6 mois, pour une famille des publics P1 ou P2 (lus dans sa demande)."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    _exiger_suivi(demande)
    aujourd_hui = timezone.localdate()
    # Opened late is fine (the first interview came before the record); opened after its 6 months is not.
    if plus_mois(debut, MOIS_DU_PARCOURS) <= aujourd_hui:
        raise ActionRefusee(f"Un parcours commencé le {debut:%d/%m/%Y} serait déjà fini : vérifiez la date.")
    _exiger_date(debut, libelle="Le début du parcours", au_plus_tard=aujourd_hui + timedelta(days=92))
    publics = selectors.publics_pepit(demande, le=debut)
    if not publics:
        raise ActionRefusee(
            "Le parcours attentionné PEPIT s'adresse aux familles P1 (premier enfant attendu, revenus modestes) "
            "ou P2 (parent isolé avec un enfant de moins de 3 ans) : la demande ne correspond à aucun des deux."
        )
    if ParcoursAttentionne.objects.filter(demande=demande, statut=ParcoursAttentionne.Statut.OUVERT).exists():
        raise ActionRefusee("Un parcours attentionné est déjà ouvert pour cette demande.")
    return ParcoursAttentionne.objects.create(
        demande=demande,
        public=publics[0],
        debut=debut,
        fin_prevue=plus_mois(debut, MOIS_DU_PARCOURS),
        ouvert_par=par,
    )


@transaction.atomic
def noter_contact(*, demande_id: int, par: User, le: date, type: str, note: str = "") -> ContactParcours:  # noqa: A002
    """Un contact de suivi, passé ou prévu (une date à venir est le prochain rendez-vous de la famille)."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    parcours = _parcours_ouvert(par, demande)
    if type not in ContactParcours.Type.values:
        raise ActionRefusee("Choisissez le type de contact.")
    _exiger_date(le, libelle="La date du contact", au_plus_tot=parcours.debut, au_plus_tard=parcours.fin_prevue)
    return ContactParcours.objects.create(parcours=parcours, date=le, type=type, note=note.strip(), auteur=par)


@transaction.atomic
def cloturer_parcours(*, demande_id: int, par: User, le: date, issue: str, note: str = "") -> ParcoursAttentionne:
    """Le parcours se clôt avec son issue (mode d'accueil trouvé, emploi ou formation, abandon, sans solution)."""
    demande = access_demande_for_user(par, demande_id, lock=True)
    exiger_relais(par)
    parcours = _parcours_ouvert(par, demande)
    if issue not in ParcoursAttentionne.Issue.values:
        raise ActionRefusee("Choisissez l'issue du parcours.")
    _exiger_date(le, libelle="La clôture du parcours", au_plus_tot=parcours.debut, au_plus_tard=timezone.localdate())
    parcours.statut = ParcoursAttentionne.Statut.CLOS
    parcours.cloture_le, parcours.issue, parcours.note_cloture, parcours.cloture_par = le, issue, note.strip(), par
    parcours.save(update_fields=["statut", "cloture_le", "issue", "note_cloture", "cloture_par"])
    return parcours
