"""Mission 2: interviews after under-activity (a), childminders displaying their availability (b)."""

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from assmats import selectors as offre
from assmats.models import AssistantMaternel, Entretien, ParametresOffre, SignalementSousActivite
from indicateurs.calculs.communs import Resultat, _ids, bornes, date_de_reference, jusqu_a, par_relais, resultat


@par_relais
def mission_2a_entretiens(relais_id: int, annee: int) -> Resultat:
    """Mission 2 (a) — « Proposer des entretiens à (au moins) 50 % des assistants maternels ayant
    signalé leur sous activité au Ram ».

    Definition: denominator = distinct childminders of the territory (commune of their file today)
    who reported under-activity in N (`SignalementSousActivite.signale_le` in N); numerator = those
    of them offered at least one interview (individual or collective) on one of these reports, offered
    after the report (`Entretien.propose_le` ≥ `signale_le`, at any date up to the computation).
    A childminder who reported twice counts once. Target: ≥ 50 %; undefined when nobody reported.
    """
    debut, fin = bornes(annee)
    maintenant = timezone.now()
    signalements = SignalementSousActivite.objects.filter(
        assistant_maternel__commune__territoire__relais_id=relais_id,
        signale_le__gte=debut,
        signale_le__lt=jusqu_a(fin),
    )
    entretiens = Entretien.objects.filter(
        signalement__in=signalements, propose_le__gte=F("signalement__signale_le"), propose_le__lte=maintenant
    )
    ids_den = _ids(signalements, "assistant_maternel_id")
    ids_num = _ids(signalements.filter(Exists(entretiens.filter(signalement=OuterRef("pk")))), "assistant_maternel_id")
    return resultat(
        "m2a_entretiens",
        ids_num,
        ids_den,
        pourcent=50,
        entrees={
            "signalements": list(signalements.order_by("pk").values_list("pk", "assistant_maternel_id", "signale_le")),
            "entretiens": list(entretiens.order_by("pk").values_list("pk", "signalement_id", "propose_le")),
        },
    )


@par_relais
def mission_2b_disponibilites(relais_id: int, annee: int) -> Resultat:
    """Mission 2 (b) — « Atteindre 30 % de l'affichage des disponibilités des assistants maternels sur
    mon-enfant.fr ».

    Definition: at the reference date R (31 December of N, or today for the running year),
    denominator = childminders of the territory whose agrément is valid on R; numerator = those of them who
    consent to publication at the end of R — the consent after the last event of the display history
    (`assmats.HistoriqueAffichage`) dated before the end of R; no event, no consent — and who declared or
    confirmed their availability (a confirmation event) in the `ParametresOffre.mois_avant_peremption` months
    (3 by default) ending at the end of R. Target ≥ 30 %. Events after R (a later confirmation, a consent given
    or withdrawn later) do not change the figure of R.
    """
    reference = date_de_reference(annee)
    mois = ParametresOffre.objects.filter(pk=1).values_list("mois_avant_peremption", flat=True).first() or 3
    # Who displays is the offer's one definition, shared with the relais' list and reminders: they never disagree.
    territoire = offre.annoter_affichage(
        AssistantMaternel.objects.filter(commune__territoire__relais_id=relais_id).agrement_valide(reference),
        reference,
        mois,
    )
    affichees = territoire.filter(affichee=True)
    ids_den, ids_num = _ids(territoire), _ids(affichees)
    return resultat(
        "m2b_disponibilites",
        ids_num,
        ids_den,
        pourcent=30,
        entrees={
            "reference": reference,
            "mois": mois,
            # The state at R, from the history up to R: later events leave the fingerprint of R unchanged.
            "assmats": list(
                territoire.order_by("pk").values_list(
                    "pk", "affiche_au", "confirmee_au", "agrement__date_fin_validite"
                )
            ),
        },
        detail={"reference": reference.isoformat(), "mois_avant_peremption": mois},
    )
