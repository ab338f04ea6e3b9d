"""Reads on AVIP places and PEPIT parcours, with explicit orders."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, QuerySet

from assmats.permissions import structures_for_user
from comptes.models import User
from demandes.models import SITUATIONS_INSERTION, Demande, ParametresClassement, TrancheQf
from insertion.models import AttributionAvip, ContactParcours, ParcoursAttentionne, Public, fin_de_la_place

# The reminder leaves the team and the family two weeks to renew the place or prepare what follows.
JOURS_AVANT_LA_FIN_POUR_LE_RAPPEL = 15
SEUIL_QF_PAR_DEFAUT = 700


def _il_y_a_trois_ans(jour: date) -> date:
    try:
        return jour.replace(year=jour.year - 3)
    except ValueError:  # 29 February
        return jour.replace(year=jour.year - 3, day=28)


def seuil_qf(demande: Demande) -> int:
    """The relais' published low-income threshold (the queue's), 700 € when it has published none."""
    seuil = ParametresClassement.objects.filter(relais_id=demande.relais_id).values_list("seuil_qf", flat=True)
    return next(iter(seuil), SEUIL_QF_PAR_DEFAUT)


def bas_revenus(demande: Demande, seuil: int) -> bool:
    return (
        demande.rsa
        or (demande.quotient_familial is not None and demande.quotient_familial < seuil)
        or demande.tranche_qf == TrancheQf.MOINS_700
    )


def publics_pepit(demande: Demande, *, le: date) -> list[str]:
    """The PEPIT priority publics the request's family belongs to on a date, read from what it declared:
    P1, expecting its first child with low income (RSA, or QF under the relais' threshold); P2, a single
    parent with a child under 3 (a child to be born included)."""
    publics = []
    if demande.enfant_a_naitre and demande.premier_enfant and bas_revenus(demande, seuil_qf(demande)):
        publics.append(Public.P1)
    if demande.parent_isole and (demande.enfant_a_naitre or demande.enfant_date > _il_y_a_trois_ans(le)):
        publics.append(Public.P2)
    return publics


def parent_en_insertion(demande: Demande) -> bool:
    """AVIP places are for parents looking for a job, in training or in an insertion path."""
    return demande.situation_parent1 in SITUATIONS_INSERTION or demande.situation_parent2 in SITUATIONS_INSERTION


def structures_avip_for_user(user: User, *, relais_id: int) -> QuerySet:
    """The crèches of the request's relais' territory, among those the user sees, that hold AVIP places."""
    return (
        structures_for_user(user)
        .filter(places_avip__gt=0, commune__territoire__relais_id=relais_id)
        .select_related("commune")
        .order_by("nom", "pk")
    )


def places_avip_occupees(structure_id: int) -> int:
    """Places given and running, whatever their start: a place promised for next month is taken already."""
    return AttributionAvip.objects.filter(structure_id=structure_id, statut=AttributionAvip.Statut.EN_COURS).count()


def list_attributions_de_la_demande(attributions: QuerySet[AttributionAvip]):
    """`attributions` are one request's, as `permissions.attributions_de_la_demande_vue` gives them."""
    return (
        attributions.select_related("structure__commune", "attribuee_par")
        .prefetch_related("historique__auteur")
        .order_by("-debut", "-pk")
    )


def list_parcours_de_la_demande(parcours: QuerySet[ParcoursAttentionne]):
    """`parcours` are one request's, as `permissions.parcours_de_la_demande_vue` gives them."""
    return (
        parcours.select_related("ouvert_par", "cloture_par")
        .prefetch_related("contacts__auteur")
        .order_by("-debut", "-pk")
    )


def prochain_contact(parcours: ParcoursAttentionne, *, aujourd_hui: date) -> ContactParcours | None:
    """The next planned contact (today's included), read from the prefetched contacts."""
    a_venir = [c for c in parcours.contacts.all() if c.date >= aujourd_hui]
    return min(a_venir, key=lambda c: (c.date, c.pk), default=None)


def attributions_a_rappeler(aujourd_hui: date) -> QuerySet[AttributionAvip]:
    """Running places whose current period ends within the reminder's delay and whose reminder for this end
    was not sent yet (a renewal moves the end: the new period gets its own reminder)."""
    limite = aujourd_hui + timedelta(days=JOURS_AVANT_LA_FIN_POUR_LE_RAPPEL)
    return (
        AttributionAvip.objects.filter(statut=AttributionAvip.Statut.EN_COURS, fin__gte=aujourd_hui, fin__lte=limite)
        .exclude(rappel_envoye_pour=F("fin"))
        .order_by("fin", "pk")
    )


def attributions_echues(aujourd_hui: date) -> QuerySet[AttributionAvip]:
    """Running places whose last day has passed: the nightly job ends them at their term."""
    return AttributionAvip.objects.filter(statut=AttributionAvip.Statut.EN_COURS, fin__lt=aujourd_hui).order_by("pk")


@dataclass(frozen=True)
class Periode:
    numero: int
    debut: date
    fin: date


def periodes(attribution: AttributionAvip) -> list[Periode]:
    """The place's periods of 3 months: the first, then the renewal's."""
    debut, renouvellements = attribution.debut, attribution.renouvellements
    bornes = [debut] + [fin_de_la_place(debut, n) for n in range(renouvellements + 1)]
    return [Periode(n + 1, bornes[n], bornes[n + 1]) for n in range(len(bornes) - 1)]
