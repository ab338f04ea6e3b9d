"""Mission 3: departures in training thanks to the relais (a), alternative childcare proposed (b)."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from formation.models import DemandeAccueilAlternatif, Inscription, PropositionAccueilAlternatif
from indicateurs.calculs.communs import Resultat, _ids, bornes, jusqu_a, par_relais, resultat


def _departs(relais_id: int, annee: int):
    debut, fin = bornes(annee)
    return Inscription.objects.filter(
        grace_au_relais=True,
        partie_le__gte=debut,
        partie_le__lt=jusqu_a(fin),
        assistant_maternel__commune__territoire__relais_id=relais_id,
    )


@par_relais
def mission_3a_departs_formation(relais_id: int, annee: int) -> Resultat:
    """Mission 3 (a) — « Progression de 10 % des assistants maternels du territoire partis en formation
    continue grâce à l'action du Ram ».

    Definition: numerator = distinct childminders of the territory (commune of their file today) with an
    enrolment marked « grâce à l'action du relais » (`Inscription.grace_au_relais`) whose departure
    (`partie_le`) is in N — an enrolment cancelled before departure has no departure date and does not count;
    one the relais cancelled after departure (training interrupted) keeps its date and counts, as in
    `formation.selectors.mission_3`;
    denominator = the same count for N-1. Met when numerator ≥ 1.10 × denominator; undefined when N-1 is 0.
    A departure without the relais' help does not count.
    """
    courant, precedent = _departs(relais_id, annee), _departs(relais_id, annee - 1)
    ids_num, ids_den = _ids(courant, "assistant_maternel_id"), _ids(precedent, "assistant_maternel_id")
    return resultat(
        "m3a_departs_formation",
        ids_num,
        ids_den,
        pourcent=110,
        entrees={
            "departs": list(
                (courant | precedent).order_by("pk").values_list("pk", "assistant_maternel_id", "partie_le")
            )
        },
    )


@par_relais
def mission_3b_accueil_alternatif(relais_id: int, annee: int) -> Resultat:
    """Mission 3 (b) — « Proposer une solution de garde alternative à 80 % des parents qui en font la
    demande auprès du Ram ».

    Definition: denominator = alternative childcare requests received by the relais in N
    (`DemandeAccueilAlternatif.created_at` in N); numerator = those with at least one proposal
    (`PropositionAccueilAlternatif`, whatever the parent's answer). Target ≥ 80 %; undefined when none.
    """
    debut, fin = bornes(annee)
    demandes = DemandeAccueilAlternatif.objects.filter(
        relais_id=relais_id, created_at__gte=debut, created_at__lt=jusqu_a(fin)
    )
    propositions = PropositionAccueilAlternatif.objects.filter(demande__in=demandes, propose_le__lte=timezone.now())
    ids_den = _ids(demandes)
    ids_num = _ids(demandes.filter(Exists(propositions.filter(demande=OuterRef("pk")))))
    return resultat(
        "m3b_accueil_alternatif",
        ids_num,
        ids_den,
        pourcent=80,
        entrees={
            "demandes": list(demandes.order_by("pk").values_list("pk", "created_at")),
            "propositions": list(propositions.order_by("pk").values_list("pk", "demande_id", "propose_le")),
        },
    )
