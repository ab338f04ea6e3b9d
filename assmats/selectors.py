"""Reads on the offer. Free places are derived here, in SQL, from the agrément and the children
in care on a given date: capacity − children present that day (a child counts for the whole
day, whatever its hours: the conservative reading of "at the same time")."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from assmats.models import (
    MAX_ENFANTS_SIMULTANES,
    MAX_MOINS_DE_3_ANS,
    Accueil,
    AssistantMaternel,
    Disponibilite,
    DisponibiliteStructure,
    LabelAvip,
    ParametresOffre,
    RelanceAffichage,
    SignalementSousActivite,
    Structure,
    TrancheAge,
    tranche_age,
)
from relais.models import Relais


class PlacesLibres(NamedTuple):
    moins_3_ans: int
    plus_3_ans: int

    @property
    def total(self) -> int:
        return max(self.moins_3_ans, self.plus_3_ans)


def _present_le(au: date) -> Q:
    return Q(date_debut__lte=au) & (Q(date_fin__isnull=True) | Q(date_fin__gte=au))


def places_libres(assmat: AssistantMaternel, au: date) -> PlacesLibres:
    """Free places of one childminder on a date (zero without a valid agrément)."""
    agrement = getattr(assmat, "agrement", None)
    if agrement is None or not agrement.est_valide(au):
        return PlacesLibres(0, 0)
    presents = [accueil for accueil in assmat.accueils.all() if accueil.present(au)]
    moins_3 = sum(1 for accueil in presents if tranche_age(accueil.date_naissance, au) == TrancheAge.MOINS_3)
    libres_total = max(0, min(agrement.capacite_totale, MAX_ENFANTS_SIMULTANES) - len(presents))
    libres_moins_3 = max(0, min(min(agrement.capacite_moins_3_ans, MAX_MOINS_DE_3_ANS) - moins_3, libres_total))
    return PlacesLibres(moins_3_ans=libres_moins_3, plus_3_ans=libres_total)


def _count(queryset: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("assistant_maternel").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def avec_places_libres(queryset: QuerySet[AssistantMaternel], au: date) -> QuerySet[AssistantMaternel]:
    """Annotates `libres_moins_3_ans` and `libres_total` (derived), the same figures as `places_libres`."""
    presents = Accueil.objects.filter(_present_le(au), assistant_maternel=OuterRef("pk"))
    trois_ans_avant = au - relativedelta(years=3)
    return queryset.annotate(
        occupes_total=_count(presents),
        occupes_moins_3_ans=_count(presents.filter(date_naissance__gt=trois_ans_avant)),
        # Without a valid agrément on that date, no place at all.
        libres_total=Case(
            When(
                Q(agrement__date_delivrance__lte=au, agrement__date_fin_validite__gte=au),
                then=Greatest(
                    Least(F("agrement__capacite_totale"), Value(MAX_ENFANTS_SIMULTANES)) - F("occupes_total"), Value(0)
                ),
            ),
            default=Value(0),
        ),
        libres_moins_3_ans=Greatest(
            Least(
                Least(F("agrement__capacite_moins_3_ans"), Value(MAX_MOINS_DE_3_ANS)) - F("occupes_moins_3_ans"),
                F("libres_total"),
            ),
            Value(0),
        ),
    )


def limite_de_fraicheur(parametres: ParametresOffre | None = None):
    parametres = parametres or ParametresOffre.courants()
    return timezone.now() - relativedelta(months=parametres.mois_avant_peremption)


def disponibilites_affichees(
    au: date | None = None, parametres: ParametresOffre | None = None
) -> QuerySet[AssistantMaternel]:
    """Childminders whose availability the public may see: consent, valid agrément, declaration
    confirmed recently enough. The places shown are the smaller of offered and derived."""
    au = au or timezone.localdate()
    queryset = (
        AssistantMaternel.objects.agrement_valide(au)
        .filter(afficher_disponibilites=True, disponibilite__confirmee_le__gte=limite_de_fraicheur(parametres))
        .select_related("commune", "disponibilite", "agrement")
    )
    return avec_places_libres(queryset, au).annotate(
        places_moins_3_ans=Least(F("disponibilite__places_moins_3_ans"), F("libres_moins_3_ans")),
        places_plus_3_ans=Least(F("disponibilite__places_plus_3_ans"), F("libres_total")),
    )


@dataclass(frozen=True)
class CriteresRecherche:
    communes: dict[int, float | None]
    tranche: str = ""
    debut: date | None = None
    atypiques: tuple[str, ...] = ()
    parametres: ParametresOffre | None = None


def rechercher_disponibilites(criteres: CriteresRecherche) -> QuerySet[AssistantMaternel]:
    """Public search: displayed availability in the given communes, for a child's age band from a date."""
    debut = criteres.debut or timezone.localdate()
    queryset = disponibilites_affichees(au=debut, parametres=criteres.parametres).filter(
        commune_id__in=list(criteres.communes), disponibilite__a_partir_du__lte=debut
    )
    if criteres.tranche == TrancheAge.MOINS_3:
        queryset = queryset.filter(places_moins_3_ans__gt=0)
    elif criteres.tranche:
        queryset = queryset.filter(places_plus_3_ans__gt=0)
    else:
        queryset = queryset.filter(Q(places_moins_3_ans__gt=0) | Q(places_plus_3_ans__gt=0))
    for champ in criteres.atypiques:
        queryset = queryset.filter(**{f"disponibilite__{champ}": True})
    return queryset.order_by("-disponibilite__confirmee_le", "pk")


def est_avip(au: date) -> Exists:
    return Exists(
        LabelAvip.objects.filter(
            Q(date_fin__isnull=True) | Q(date_fin__gt=au), assistant_maternel=OuterRef("pk"), date_debut__lte=au
        )
    )


def list_assmats_du_territoire(queryset: QuerySet[AssistantMaternel], au: date) -> QuerySet[AssistantMaternel]:
    """Staff list: derived places, display status, AVIP, open under-activity, agrément expiry."""
    frais = limite_de_fraicheur()
    dernier_signalement = SignalementSousActivite.objects.filter(assistant_maternel=OuterRef("pk")).order_by(
        "-signale_le"
    )
    return (
        avec_places_libres(queryset.select_related("commune", "agrement", "disponibilite", "user"), au)
        .annotate(
            avip=est_avip(au),
            affichee=Q(afficher_disponibilites=True, disponibilite__confirmee_le__gte=frais),
            signalement_le=Subquery(dernier_signalement.values("signale_le")[:1]),
        )
        .order_by("nom", "prenom", "pk")
    )


def filtrer_liste(queryset: QuerySet[AssistantMaternel], filtre: str, au: date) -> QuerySet[AssistantMaternel]:
    parametres = ParametresOffre.courants()
    if filtre == "disponible":
        return queryset.filter(libres_total__gt=0, agrement__date_fin_validite__gte=au)
    if filtre == "sous_activite":
        return queryset.filter(signalement_le__isnull=False)
    if filtre == "agrement_expire_bientot":
        return queryset.filter(
            agrement__date_fin_validite__gte=au,
            agrement__date_fin_validite__lte=au + relativedelta(months=parametres.mois_alerte_agrement),
        )
    if filtre == "avip":
        return queryset.filter(avip=True)
    if filtre == "affichee":
        return queryset.filter(affichee=True)
    if filtre == "non_affichee":
        return queryset.filter(affichee=False)
    return queryset


def a_relancer_pour_affichage(queryset: QuerySet[AssistantMaternel], au: date) -> QuerySet[AssistantMaternel]:
    """Childminders with a valid agrément and an e-mail who do not show their availability online."""
    frais = limite_de_fraicheur()
    return (
        queryset.agrement_valide(au)
        .exclude(email="")
        .exclude(afficher_disponibilites=True, disponibilite__confirmee_le__gte=frais)
        .order_by("pk")
    )


def destinataires_de_la_relance(relais: Relais) -> QuerySet[AssistantMaternel]:
    """Who a reminder round of `relais` e-mails today: one list for its confirmation page, count and sending."""
    return a_relancer_pour_affichage(AssistantMaternel.objects.du_territoire(relais), timezone.localdate())


def relance_recente(relais: Relais) -> RelanceAffichage | None:
    """The relais' last reminder round within the staleness period, if any."""
    return (
        RelanceAffichage.objects.filter(relais=relais, created_at__gte=limite_de_fraicheur())
        .select_related("lancee_par")
        .order_by("-created_at", "-pk")
        .first()
    )


def list_signalements_a_traiter(assmats: QuerySet[AssistantMaternel]) -> QuerySet[SignalementSousActivite]:
    """Under-activity reports, those without an interview offered first (mission 2 (a))."""
    return (
        SignalementSousActivite.objects.filter(assistant_maternel__in=assmats)
        .select_related("assistant_maternel__commune")
        .prefetch_related("entretiens")
        .annotate(nb_entretiens=Count("entretiens"))
        .order_by(F("nb_entretiens").asc(), "-signale_le", "pk")
    )


def disponibilites_perimees() -> QuerySet[Disponibilite]:
    """Declarations no longer shown for lack of confirmation, whose owner has not been reminded since."""
    limite = limite_de_fraicheur()
    return (
        Disponibilite.objects.filter(confirmee_le__lt=limite, assistant_maternel__afficher_disponibilites=True)
        .filter(Q(rappel_envoye_le__isnull=True) | Q(rappel_envoye_le__lt=F("confirmee_le")))
        .exclude(assistant_maternel__email="")
        .select_related("assistant_maternel")
        .order_by("pk")
    )


def prochaine_echeance_legale(au: date) -> date:
    """Next legal deadline to declare availability (décret 2021-1131): 1 June or 1 December."""
    for echeance in (date(au.year, 6, 1), date(au.year, 12, 1), date(au.year + 1, 6, 1)):
        if echeance >= au:
            return echeance
    raise AssertionError("unreachable")


def jour_du_rappel_legal(au: date) -> bool:
    return prochaine_echeance_legale(au) - timedelta(days=14) == au


def list_structures(queryset: QuerySet[Structure]) -> QuerySet[Structure]:
    return queryset.select_related("commune").prefetch_related("disponibilites").order_by("nom", "pk")


def rechercher_structures(criteres: CriteresRecherche) -> QuerySet[Structure]:
    """Structures of the searched communes whose latest declaration (on the start date) has free places."""
    debut = criteres.debut or timezone.localdate()
    derniere = DisponibiliteStructure.objects.filter(structure=OuterRef("pk"), a_partir_du__lte=debut).order_by(
        "-a_partir_du"
    )
    queryset = (
        Structure.objects.filter(commune_id__in=list(criteres.communes))
        .select_related("commune")
        .annotate(
            libres_moins_3_ans=Subquery(derniere.values("places_moins_3_ans")[:1]),
            libres_plus_3_ans=Subquery(derniere.values("places_plus_3_ans")[:1]),
            libres_depuis=Subquery(derniere.values("a_partir_du")[:1]),
        )
    )
    if criteres.tranche == TrancheAge.MOINS_3:
        queryset = queryset.filter(libres_moins_3_ans__gt=0)
    elif criteres.tranche:
        queryset = queryset.filter(libres_plus_3_ans__gt=0)
    else:
        queryset = queryset.filter(Q(libres_moins_3_ans__gt=0) | Q(libres_plus_3_ans__gt=0))
    return queryset.order_by("nom", "pk")


def candidats_du_relais(relais_id: int, tranche: str, au: date) -> QuerySet[AssistantMaternel]:
    """Childminders of a relais' territory with a valid agrément and a derived free place for a child of
    that age band on that date (whether or not they display it publicly: the relais knows its offer).
    A childminder who deleted her account is left out: she can no longer be contacted."""
    queryset = avec_places_libres(
        AssistantMaternel.objects.agrement_valide(au)
        .filter(commune__territoire__relais_id=relais_id, anonymise_le__isnull=True)
        .select_related("commune", "agrement", "disponibilite"),
        au,
    ).annotate(avip=est_avip(au))
    if tranche == TrancheAge.MOINS_3:
        return queryset.filter(libres_moins_3_ans__gt=0)
    return queryset.filter(libres_total__gt=0)


def places_declarees_par_commune(commune_ids: list[int], au: date) -> dict[tuple[int, str], int]:
    """Free places declared on a date, by commune and age band ("moins_3" / "plus_3"): fresh childminders'
    declarations (never above the derived places) and structures' latest declarations."""
    totaux: dict[tuple[int, str], int] = {}
    frais = (
        avec_places_libres(
            AssistantMaternel.objects.agrement_valide(au).filter(
                commune_id__in=commune_ids,
                disponibilite__confirmee_le__gte=limite_de_fraicheur(),
                disponibilite__a_partir_du__lte=au,
            ),
            au,
        )
        .annotate(
            m3=Least(F("disponibilite__places_moins_3_ans"), F("libres_moins_3_ans")),
            p3=Least(F("disponibilite__places_plus_3_ans"), F("libres_total")),
        )
        .values("commune_id")
        .annotate(moins_3=Sum("m3"), plus_3=Sum("p3"))
        .order_by("commune_id")
    )
    structures = (
        rechercher_structures(CriteresRecherche(communes=dict.fromkeys(commune_ids), debut=au))
        .values("commune_id")
        .annotate(moins_3=Sum("libres_moins_3_ans"), plus_3=Sum("libres_plus_3_ans"))
        .order_by("commune_id")
    )
    for ligne in [*frais, *structures]:
        for tranche in ("moins_3", "plus_3"):
            cle = (ligne["commune_id"], tranche)
            totaux[cle] = totaux.get(cle, 0) + (ligne[tranche] or 0)
    return totaux


def rayon_recherche_km() -> int:
    """Radius of the "neighbouring communes", shared by every search of the portal."""
    return ParametresOffre.courants().rayon_recherche_km
