"""Reads on the offer. Free places are derived here, in SQL, from the agrément and the children
in care on a given date: capacity − children present that day (a child counts for the whole
day, whatever its hours: the conservative reading of "at the same time")."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.template.defaultfilters import linebreaksbr, pluralize
from django.urls import reverse
from django.utils import dateformat, timezone

from assmats.models import (
    MAX_ENFANTS_SIMULTANES,
    MAX_MOINS_DE_3_ANS,
    Accueil,
    AssistantMaternel,
    Disponibilite,
    DisponibiliteStructure,
    HistoriqueAffichage,
    LabelAvip,
    ParametresOffre,
    RelanceAffichage,
    SignalementSousActivite,
    Structure,
    TrancheAge,
    tranche_age,  # noqa: F401 (demandes reads the offer through selectors only)
)
from relais.models import Relais


class PlacesLibres(NamedTuple):
    """`moins_3_ans` places may take a child of any age, `plus_3_ans` counts every place a child of 3 or more
    may take (the under-3 ones included): the places are max() of both, never their sum."""

    moins_3_ans: int
    plus_3_ans: int

    @property
    def total(self) -> int:
        return max(self.moins_3_ans, self.plus_3_ans)

    @property
    def phrase(self) -> str:
        """The one sentence every page says them with: the list, her file, her space and the public card."""
        total, communes = self.total, min(self.moins_3_ans, self.plus_3_ans)
        if total == 0:
            return "Aucune place libre"
        places = f"{total} place{pluralize(total)} libre{pluralize(total)}"
        seule = (
            "pour un enfant de moins de 3 ans"
            if self.moins_3_ans > self.plus_3_ans
            else "pour un enfant de 3 ans ou plus"
        )
        if communes == total:
            return f"{places}, pour un enfant de tout âge"
        if communes == 0:
            return f"{places} {seule}"
        return f"{places} : {communes} pour un enfant de tout âge, {total - communes} {seule} seulement"


def places_libres(assmat: AssistantMaternel, au: date) -> PlacesLibres:
    """Free places of one childminder on a date (zero without a valid agrément), read by the same SQL as lists."""
    ligne = avec_places_libres(AssistantMaternel.objects.filter(pk=assmat.pk), au).order_by().first()
    return places_de(ligne) if ligne else PlacesLibres(0, 0)


def places_de(assmat: AssistantMaternel) -> PlacesLibres:
    """The free places of a row annotated by `avec_places_libres`."""
    return PlacesLibres(moins_3_ans=assmat.libres_moins_3_ans, plus_3_ans=assmat.libres_total)


def places_proposees(assmat: AssistantMaternel) -> PlacesLibres:
    """What a row of `disponibilites_affichees` offers the public: her declaration, never above her free places."""
    return PlacesLibres(moins_3_ans=assmat.places_moins_3_ans, plus_3_ans=assmat.places_plus_3_ans)


def _count(queryset: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("assistant_maternel").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


class _TroisAnsAvant(Func):
    template = "(%(expressions)s - interval '3 years')::date"
    output_field = DateField()


def _conventions_sans_accueil() -> QuerySet:
    """Children of a tiers-payant convention in force on the row's day whom she has not entered among her
    children in care (the convention names the child but links no Accueil): they take a place all the same.
    The model is reached through its foreign key to ours, tiers_payant depending on assmats and not the reverse."""
    convention = AssistantMaternel._meta.get_field("conventions_tiers_payant").related_model
    jour = OuterRef("jour_des_places")
    accueilli = Accueil.objects.filter(
        assistant_maternel=OuterRef("assistant_maternel"),
        date_naissance=OuterRef("enfant_naissance"),
        prenom_enfant__iexact=OuterRef("enfant_prenom"),
    )
    return convention.objects.filter(
        Q(date_fin_effective__isnull=True, date_fin__gte=jour) | Q(date_fin_effective__gte=jour),
        ~Exists(accueilli),
        assistant_maternel=OuterRef("pk"),
        statut__in=["signee", "active", "terminee", "resiliee"],  # signed by every party
        date_debut__lte=jour,
    )


def avec_places_libres(
    queryset: QuerySet[AssistantMaternel], au: date, *, disponibilite_future: bool = False
) -> QuerySet[AssistantMaternel]:
    """Annotates `libres_moins_3_ans` and `libres_total`, derived from the agrément, the children in care and
    those of her tiers-payant conventions, on `au` — or, with `disponibilite_future`, on the day her declared
    availability starts when that is later (a child leaving then frees the place she offers)."""
    jour = Greatest(Value(au), F("disponibilite__a_partir_du")) if disponibilite_future else Value(au)
    queryset = queryset.annotate(jour_des_places=ExpressionWrapper(jour, output_field=DateField()))
    presents = Accueil.objects.filter(
        Q(date_fin__isnull=True) | Q(date_fin__gte=OuterRef("jour_des_places")),
        assistant_maternel=OuterRef("pk"),
        date_debut__lte=OuterRef("jour_des_places"),
    )
    conventions = _conventions_sans_accueil()
    moins_de_3_ans = _TroisAnsAvant(OuterRef("jour_des_places"))
    # Aliases, not annotations: the SQL repeats them inside the free places anyway (Django inlines an expression
    # where it is referenced), selecting them too made PostgreSQL count each row's children once more.
    return queryset.alias(
        occupes_total=_count(presents) + _count(conventions),
        occupes_moins_3_ans=_count(presents.filter(date_naissance__gt=moins_de_3_ans))
        + _count(conventions.filter(enfant_naissance__gt=moins_de_3_ans)),
    ).annotate(
        # Without a valid agrément on that date, no place at all.
        libres_total=Case(
            When(
                Q(
                    agrement__date_delivrance__lte=F("jour_des_places"),
                    agrement__date_fin_validite__gte=F("jour_des_places"),
                ),
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
    confirmed recently enough. The places shown are the smaller of offered and derived, derived on the day
    the offer starts (today, or later when she declared a later start)."""
    au = au or timezone.localdate()
    queryset = (
        AssistantMaternel.objects.agrement_valide(au)
        .filter(afficher_disponibilites=True, disponibilite__confirmee_le__gte=limite_de_fraicheur(parametres))
        .select_related("commune", "disponibilite", "agrement")
    )
    return avec_places_libres(queryset, au, disponibilite_future=True).annotate(
        places_moins_3_ans=Least(F("disponibilite__places_moins_3_ans"), F("libres_moins_3_ans")),
        places_plus_3_ans=Least(F("disponibilite__places_plus_3_ans"), F("libres_total")),
    )


def get_assmat_affichee(pk: int) -> AssistantMaternel | None:
    """One childminder of the public search, None when the public may not see her (the same rules)."""
    return disponibilites_affichees().filter(pk=pk).first()


@dataclass(frozen=True)
class CriteresRecherche:
    communes: dict[int, float | None]
    tranche: str = ""
    debut: date | None = None
    atypiques: tuple[str, ...] = ()
    parametres: ParametresOffre | None = None


# A family looks for care months before it starts: a place opening within this horizon of the date searched is
# shown with its date, rather than hidden until that day.
HORIZON_RECHERCHE = relativedelta(months=6)


def rechercher_disponibilites(criteres: CriteresRecherche) -> QuerySet[AssistantMaternel]:
    """Public search: displayed availability in the given communes, for a child's age band, starting on the date
    searched or within the following six months (soonest first)."""
    debut = criteres.debut or timezone.localdate()
    queryset = (
        disponibilites_affichees(au=debut, parametres=criteres.parametres)
        .filter(commune_id__in=list(criteres.communes), disponibilite__a_partir_du__lte=debut + HORIZON_RECHERCHE)
        .select_related(None)
        .select_related("commune", "disponibilite")  # what a card shows: not her agrément
    )
    if criteres.tranche == TrancheAge.MOINS_3:
        queryset = queryset.filter(places_moins_3_ans__gt=0)
    elif criteres.tranche:
        queryset = queryset.filter(places_plus_3_ans__gt=0)
    else:
        queryset = queryset.filter(Q(places_moins_3_ans__gt=0) | Q(places_plus_3_ans__gt=0))
    for champ in criteres.atypiques:
        queryset = queryset.filter(**{f"disponibilite__{champ}": True})
    return queryset.order_by("jour_des_places", "-disponibilite__confirmee_le", "pk")


def textes_de_la_recherche(assmats: Iterable[AssistantMaternel]) -> list[dict]:
    """The public search's cards (template assmats/recherche.html) from `rechercher_disponibilites`' rows, each
    text computed once in plain Python rather than by a tag or a filter per line of 20 cards. Not escaped here
    (the template escapes them) but for the presentation, `linebreaksbr` escaping it."""
    ecrire = _url_de("assmats:ecrire_via_le_relais")
    textes = []
    for a in assmats:
        disponibilite = a.disponibilite
        textes.append(
            {
                "nom_public": a.nom_public,
                "commune": a.commune.nom,
                "membre_mam": a.membre_mam,
                "nom_mam": a.nom_mam,
                "places": places_proposees(a).phrase,
                "a_partir_du": _date_en_lettres(a.jour_des_places),
                "jours": disponibilite.jours_proposes(),
                "heures": f"de {_heure(disponibilite.heure_debut)} à {_heure(disponibilite.heure_fin)}",
                "atypiques": ", ".join(str(libelle) for libelle in disponibilite.horaires_atypiques()),
                "commentaire": disponibilite.commentaire,
                "langues": a.langues,
                "espace_exterieur": a.espace_exterieur,
                "animaux": a.animaux,
                "presentation": linebreaksbr(a.presentation) if a.presentation else "",
                "telephone": a.telephone if a.afficher_telephone else "",
                "ecrire": ecrire(a.pk),
                "confirmee_le": _date_en_lettres(timezone.localtime(disponibilite.confirmee_le)),
            }
        )
    return textes


def _date_en_lettres(jour: date) -> str:
    """« 7 décembre 2026 », as the template filter `date:"j F Y"` writes it."""
    return dateformat.format(jour, "j F Y")


def _heure(heure: time) -> str:
    """« 8h30 », « 18h00 »: the filter `time:"G\\hi"`."""
    return dateformat.time_format(heure, r"G\hi")


def est_avip(au: date) -> Exists:
    return Exists(
        LabelAvip.objects.filter(
            Q(date_fin__isnull=True) | Q(date_fin__gt=au), assistant_maternel=OuterRef("pk"), date_debut__lte=au
        )
    )


def _fin_du_jour(au: date) -> datetime:
    return datetime.combine(au + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


def annoter_affichage(
    queryset: QuerySet[AssistantMaternel], au: date, mois_avant_peremption: int | None = None
) -> QuerySet[AssistantMaternel]:
    """Who displays her availability at the end of the day `au`: the one definition read by the territory's list
    and its « disponibilités non affichées » filter, the reminder's recipients and mission 2 (b).

    A valid agrément that day, her consent after the last event of her display history up to then, and a
    declaration or confirmation in the `mois_avant_peremption` months ending then. Read from the history, not
    the current rows, so that a past date reads what was true then and an event dated in the future is not yet
    true. Annotates `affiche_au`, `confirmee_au` and `affichee`, True or False — never NULL, so that someone
    who never declared anything is among those who do not display."""
    if mois_avant_peremption is None:
        mois_avant_peremption = ParametresOffre.courants().mois_avant_peremption
    fin = _fin_du_jour(au)
    historique = HistoriqueAffichage.objects.filter(
        assistant_maternel=OuterRef("pk"), le__lt=fin, le__lte=timezone.now()
    ).order_by("-le", "-pk")
    return queryset.annotate(
        affiche_au=Subquery(historique.values("affiche")[:1]),
        confirmee_au=Subquery(historique.filter(confirmation=True).values("le")[:1]),
    ).annotate(
        affichee=Case(
            When(
                Q(affiche_au=True, confirmee_au__gte=fin - relativedelta(months=mois_avant_peremption))
                & Q(agrement__date_delivrance__lte=au, agrement__date_fin_validite__gte=au),
                then=Value(True),
            ),
            default=Value(False),
        )
    )


def affichent_leurs_disponibilites(
    queryset: QuerySet[AssistantMaternel], au: date, mois_avant_peremption: int | None = None
) -> QuerySet[AssistantMaternel]:
    """Those of `queryset` who display their availability at the end of `au` (see `annoter_affichage`)."""
    return annoter_affichage(queryset, au, mois_avant_peremption).filter(affichee=True)


def list_assmats_du_territoire(queryset: QuerySet[AssistantMaternel], au: date) -> QuerySet[AssistantMaternel]:
    """Staff list: derived places, display status, AVIP, open under-activity, agrément expiry."""
    dernier_signalement = SignalementSousActivite.objects.filter(assistant_maternel=OuterRef("pk")).order_by(
        "-signale_le"
    )
    return (
        avec_places_libres(annoter_affichage(queryset, au), au)
        .annotate(
            avip=est_avip(au),
            signalement_le=Subquery(dernier_signalement.values("signale_le")[:1]),
        )
        .order_by("nom", "prenom", "pk")
    )


# What a row of the staff list shows: read as values, not model instances (50 rows a page).
COLONNES_DE_LA_LISTE = (
    "pk", "nom", "prenom", "commune__nom", "agrement__pk", "agrement__date_fin_validite",
    "libres_total", "libres_moins_3_ans", "affichee", "avip", "signalement_le",
)  # fmt: skip


def lignes_de_la_liste(queryset: QuerySet[AssistantMaternel]) -> QuerySet:
    """The rows of `list_assmats_du_territoire` (filtered or not) as the columns of the staff list."""
    return queryset.values(*COLONNES_DE_LA_LISTE)


def textes_de_la_liste(lignes: Iterable[dict], au: date) -> list[dict]:
    """The staff list's cells (template assmats/liste.html), each text computed once in plain Python: the
    template engine spent more on 50 rows' `{% url %}`, `{% places %}` and `date` filters than the rest of the
    page. Not escaped here: the template escapes them."""
    fiche = _url_de("assmats:fiche")
    textes = []
    for ligne in lignes:
        fin = ligne["agrement__date_fin_validite"]
        signalement = ligne["signalement_le"]
        textes.append(
            {
                "url": fiche(ligne["pk"]),
                "nom": f"{ligne['nom']} {ligne['prenom']}",
                "commune": ligne["commune__nom"],
                "agrement": ligne["agrement__pk"] is not None,
                "agrement_expire": fin is not None and fin < au,
                "agrement_fin": _jj_mm_aaaa(fin) if fin else "",
                "places": PlacesLibres(ligne["libres_moins_3_ans"], ligne["libres_total"]).phrase,
                "affichee": ligne["affichee"],
                "avip": ligne["avip"],
                "signalement_le": _jj_mm_aaaa(timezone.localtime(signalement)) if signalement else "",
            }
        )
    return textes


def _jj_mm_aaaa(jour: date) -> str:
    return jour.strftime("%d/%m/%Y")


def _url_de(nom: str) -> Callable[[int], str]:
    """The URL of `nom` for any pk from one `reverse()`: a row's link costs a string format, not a resolver."""
    gabarit = reverse(nom, args=[0])
    debut, fin = gabarit.rsplit("/0/", 1)
    return lambda pk: f"{debut}/{pk}/{fin}"


def rechercher_par_nom(queryset: QuerySet[AssistantMaternel], q: str) -> QuerySet[AssistantMaternel]:
    return queryset.filter(Q(nom__icontains=q) | Q(prenom__icontains=q))


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
    return annoter_affichage(queryset.agrement_valide(au).exclude(email=""), au).filter(affichee=False).order_by("pk")


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


def disponibilite_de(assmat: AssistantMaternel) -> Disponibilite | None:
    """Her one declaration of availability, if she has made it."""
    return Disponibilite.objects.filter(assistant_maternel=assmat).first()


def list_accueils(assmat: AssistantMaternel) -> QuerySet[Accueil]:
    """Every child she has declared, latest arrival first."""
    return assmat.accueils.order_by("-date_debut", "pk")


def list_accueils_en_cours(assmat: AssistantMaternel, au: date) -> QuerySet[Accueil]:
    """The children in her care on `au` or coming later, by arrival."""
    return assmat.accueils.filter(Q(date_fin__isnull=True) | Q(date_fin__gte=au)).order_by("date_debut", "pk")


def list_signalements_recents(assmat: AssistantMaternel) -> QuerySet[SignalementSousActivite]:
    return assmat.signalements_sous_activite.prefetch_related("entretiens").order_by("-signale_le", "-pk")[:5]


def list_places_de_la_structure(structure: Structure) -> QuerySet[DisponibiliteStructure]:
    return structure.disponibilites.select_related("declaree_par").order_by("-a_partir_du", "-pk")
