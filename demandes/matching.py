"""Matching a request with the offer of its relais: childminders with a free place for the child's age at
the start date and compatible hours, ranked by distance and fit, each with the reasons shown."""

from dataclasses import dataclass, field
from datetime import date, time

from django.utils import timezone

from assmats import selectors as offre
from assmats.selectors import tranche_age
from demandes.models import SITUATIONS_INSERTION, Atypique, Demande, plages
from relais.selectors import distance_km, list_communes_du_territoire

# What the request needs → which flag of an agrément or a declaration covers it.
ATYPIQUES = {
    Atypique.TOT: "tot",
    Atypique.TARD: "tard",
    Atypique.SAMEDI: "samedi",
    Atypique.DIMANCHE: "dimanche",
    Atypique.NUIT: "nuit",
}

DEBUT_DU_JOUR, FIN_DU_JOUR = 6 * 60, 22 * 60


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


@dataclass
class Candidat:
    assmat: object
    distance: float | None
    proximite: str
    horaires_compatibles: bool | None
    avip_prioritaire: bool
    raisons: list[str] = field(default_factory=list)

    def cle(self) -> tuple:
        """AVIP first for families in insertion, then nearer, then better fit, then more free places."""
        rang_proximite = {"même commune": 0, "distance": 1, "même EPCI": 2, "territoire": 3}[self.proximite]
        return (
            not self.avip_prioritaire,
            rang_proximite,
            self.distance if self.distance is not None else 999,
            {True: 0, None: 1, False: 2}[self.horaires_compatibles],
            -self.assmat.libres_total,
            self.assmat.pk,
        )


def famille_en_insertion(demande: Demande) -> bool:
    return demande.situation_parent1 in SITUATIONS_INSERTION or demande.situation_parent2 in SITUATIONS_INSERTION


def _proximite(demande: Demande, assmat) -> tuple[str, float | None]:
    if assmat.commune_id == demande.commune_id:
        return "même commune", 0.0
    distance = distance_km(demande.commune, assmat.commune)
    if distance is not None:
        return "distance", round(distance, 1)
    if demande.commune.epci_id and demande.commune.epci_id == assmat.commune.epci_id:
        return "même EPCI", None
    return "territoire", None


def _horaires(demande: Demande, assmat) -> tuple[bool | None, list[str]]:
    """Compatible (True), incompatible (False) or unknown (None, no declaration) — with the reasons."""
    disponibilite = getattr(assmat, "disponibilite", None)
    if disponibilite is None:
        return None, ["horaires à vérifier : pas de disponibilités déclarées"]
    # The part of a slot in the night (22:00 → 6:00) is the `nuit` flag's, which every candidate has
    # (couvre_les_atypiques); the declared hours are a day's, so only the rest is compared with them.
    de_jour = [
        (jour, max(debut, DEBUT_DU_JOUR), min(fin, FIN_DU_JOUR))
        for creneau in demande.creneaux
        for jour, debut, fin in plages(creneau)
        if min(fin, FIN_DU_JOUR) > max(debut, DEBUT_DU_JOUR)
    ]
    manquants = {jour for jour, _, _ in de_jour} - set(disponibilite.jours)
    hors_plage = [
        plage
        for plage in de_jour
        if plage[1] < _minutes(disponibilite.heure_debut) or plage[2] > _minutes(disponibilite.heure_fin)
    ]
    if manquants or hors_plage:
        return False, ["horaires déclarés différents de ceux demandés"]
    return True, [f"horaires compatibles ({disponibilite.heure_debut:%H:%M}–{disponibilite.heure_fin:%H:%M})"]


def couvre_les_atypiques(demande: Demande, assmat) -> bool:
    disponibilite = getattr(assmat, "disponibilite", None)
    return all(
        getattr(assmat.agrement, ATYPIQUES[besoin]) or (disponibilite and getattr(disponibilite, ATYPIQUES[besoin]))
        for besoin in demande.horaires_atypiques
    )


def date_de_recherche(demande: Demande, aujourd_hui: date | None = None) -> date:
    """From when places are searched: today for an urgent need (the family needs care now, whatever start date
    it typed), else the desired start, never a day already past (a place free last month helps no one)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    if demande.urgence:
        return aujourd_hui
    return max(demande.date_debut_souhaitee, aujourd_hui)


def candidats(demande: Demande, *, limite: int = 30) -> list[Candidat]:
    debut = date_de_recherche(demande)
    tranche = tranche_age(demande.enfant_date, debut)
    insertion = famille_en_insertion(demande)
    resultats = []
    for assmat in offre.candidats_du_relais(demande.relais_id, tranche, debut).order_by("pk"):
        if not couvre_les_atypiques(demande, assmat):
            continue
        proximite, distance = _proximite(demande, assmat)
        compatibles, raisons = _horaires(demande, assmat)
        places = assmat.libres_moins_3_ans if tranche == "moins_3" else assmat.libres_total
        raisons = [
            f"{places} place(s) libre(s) pour cet âge au {debut:%d/%m/%Y}",
            proximite if distance is None or proximite == "même commune" else f"à {distance} km",
            *raisons,
        ]
        if demande.horaires_atypiques:
            raisons.append("accepte les horaires atypiques demandés")
        if assmat.avip:
            raisons.append("labellisée AVIP")
        resultats.append(
            Candidat(
                assmat=assmat,
                distance=distance,
                proximite=proximite,
                horaires_compatibles=compatibles,
                avip_prioritaire=insertion and assmat.avip,
                raisons=raisons,
            )
        )
    resultats.sort(key=Candidat.cle)
    return resultats[:limite]


def structures(demande: Demande):
    """Structures of the relais' territory with declared free places for the child's age from the search date."""
    communes = {pk: None for pk in list_communes_du_territoire(demande.relais).values_list("pk", flat=True)}
    debut = date_de_recherche(demande)
    criteres = offre.CriteresRecherche(communes=communes, tranche=tranche_age(demande.enfant_date, debut), debut=debut)
    return offre.rechercher_structures(criteres)
