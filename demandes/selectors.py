"""Reads on requests. The queue's score is computed by PostgreSQL, from the relais' published weights."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Func, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

from demandes.models import (
    SITUATIONS_INSERTION,
    STATUTS_FERMES,
    STATUTS_OUVERTS,
    BrouillonDemande,
    Demande,
    HistoriqueDemande,
    NotePrivee,
    ParametresClassement,
    Proposition,
    RendezVous,
    Source,
    Statut,
    TrancheQf,
    VersionDeLaFile,
    services_depuis,
    statuts_de_depart,
)
from demandes.permissions import est_de_l_equipe
from relais.permissions import relais_for_user

P = "relais__parametres_classement__"


SECONDES_PAR_SEMAINE = 604800
DECALAGE_LUNDI = 345600  # 1 January 1970 was a Thursday: weeks counted from Monday 0:00 UTC


class SemaineCalendaire(Func):
    """The number of the week (Monday 0:00 UTC to Monday 0:00 UTC) of a timestamp, computed by PostgreSQL."""

    template = f"FLOOR((EXTRACT(EPOCH FROM %(expressions)s) + {DECALAGE_LUNDI}) / {SECONDES_PAR_SEMAINE})::integer"
    output_field = IntegerField()


def semaine_calendaire(instant: datetime) -> int:
    return int((instant.timestamp() + DECALAGE_LUNDI) // SECONDES_PAR_SEMAINE)


def _il_y_a_ans(jour: date, ans: int) -> date:
    try:
        return jour.replace(year=jour.year - ans)
    except ValueError:  # 29 February
        return jour.replace(year=jour.year - ans, day=28)


@dataclass(frozen=True)
class Critere:
    """One ranking criterion: the annotation holding its points and the weight field that sets them."""

    annotation: str
    poids: str
    libelle: str


CRITERES = [
    Critere("points_urgence", "poids_urgence", "Besoin urgent sous 24 h"),
    Critere("points_insertion", "poids_insertion", "Emploi, formation ou insertion"),
    Critere("points_bas_revenus", "poids_bas_revenus", "RSA ou QF sous le seuil"),
    Critere("points_parent_isole", "poids_parent_isole", "Parent isolé, enfant de moins de 3 ans"),
    Critere("points_premier_enfant", "poids_premier_enfant", "Premier enfant attendu, revenus modestes"),
    Critere("points_handicap", "poids_handicap", "Enfant en situation de handicap"),
]


def _points(condition: Q, poids: str):
    return Case(When(condition, then=F(P + poids)), default=Value(0), output_field=IntegerField())


def annoter_score(demandes: QuerySet[Demande], maintenant: datetime | None = None) -> QuerySet[Demande]:
    """Adds each criterion's points, the waiting weeks and the score, in SQL (joined to the relais' weights)."""
    maintenant = maintenant or timezone.now()
    bas_revenus = Q(rsa=True) | Q(quotient_familial__lt=F(P + "seuil_qf")) | Q(tranche_qf=TrancheQf.MOINS_700)
    insertion = Q(situation_parent1__in=SITUATIONS_INSERTION) | Q(situation_parent2__in=SITUATIONS_INSERTION)
    moins_de_3_ans = Q(enfant_date__gt=_il_y_a_ans(timezone.localdate(maintenant), 3))
    return demandes.annotate(
        points_urgence=_points(Q(urgence=True), "poids_urgence"),
        points_insertion=_points(insertion, "poids_insertion"),
        points_bas_revenus=_points(bas_revenus, "poids_bas_revenus"),
        points_parent_isole=_points(Q(parent_isole=True) & moins_de_3_ans, "poids_parent_isole"),
        points_premier_enfant=_points(
            Q(enfant_a_naitre=True, premier_enfant=True) & bas_revenus, "poids_premier_enfant"
        ),
        points_handicap=_points(Q(handicap=True), "poids_handicap"),
        # Weeks started since submission (Mondays passed), not complete weeks of 7 days: so that the order by score
        # is time-invariant and read from the stored key (see list_file_d_attente).
        semaines_attente=Value(semaine_calendaire(maintenant)) - SemaineCalendaire(F("date_depot")),
        points_attente=F("semaines_attente") * F(P + "poids_semaine_attente"),
        score=F("points_urgence")
        + F("points_insertion")
        + F("points_bas_revenus")
        + F("points_parent_isole")
        + F("points_premier_enfant")
        + F("points_handicap")
        + F("points_attente"),
    )


def detail_du_score(demande: Demande) -> list[tuple[str, int]]:
    """The breakdown of an annotated request's score: criteria met with their points, then waiting."""
    lignes = [(c.libelle, getattr(demande, c.annotation)) for c in CRITERES if getattr(demande, c.annotation)]
    if demande.points_attente:
        lignes.append((f"{demande.semaines_attente} semaine(s) d'attente", demande.points_attente))
    return lignes


TRANCHES_AGE = {
    "a_naitre": "À naître",
    "moins_1": "Moins d'un an",
    "1_3": "1 à 3 ans",
    "3_6": "3 à 6 ans",
}


# The queue's sorts. Whatever the sort, an urgent need without an answer stays above every other request.
TRIS = {
    "score": "Score (critères publiés)",
    "anciennete": "Ancienneté (la plus ancienne d'abord)",
    "debut": "Date de début souhaitée (la plus proche d'abord)",
}
URGENCES = {
    "sans_reponse": "Urgentes sans réponse",
    "en_retard": "Urgentes en retard (plus de 24 h sans réponse)",
    "toutes": "Toutes les urgentes",
}
# `FiltresFile.statut` also takes this value: every closed request (solution, no solution, withdrawn, closed).
CLOSES = "closes"


@dataclass(frozen=True)
class FiltresFile:
    statut: str = ""
    commune: int | None = None
    mode: str = ""
    age: str = ""
    mois_debut: date | None = None
    urgence: str = ""
    recherche: str = ""
    relais: int | None = None
    prise_par: int | None = None
    tri: str = "score"

    @property
    def closes(self) -> bool:
        return self.statut == CLOSES or self.statut in STATUTS_FERMES


def list_file_d_attente(
    demandes: QuerySet[Demande],
    filtres: FiltresFile,
    maintenant: datetime | None = None,
    *,
    seul_relais: int | None = None,
) -> QuerySet[Demande]:
    """Requests in queue order, filtered; `demandes` is already scoped to the user.

    Open requests by default. Queue order: urgent needs without an answer first, by their 24 h deadline (overdue
    ones first), then by the chosen sort. By score (the default; ties: oldest first), the order comes from the
    key PostgreSQL stores on each request (migration 0007): within one relais, score = cle_classement + w ×
    current week, so `-cle_classement` is `-score` and the page is read from the index `demande_file_classee_idx`
    instead of scoring every open request. Across several relais the weights w differ: each key is shifted by its
    relais' w × current week (exact, but a sort). `seul_relais`: the caller knows the scope holds this relais only
    (an equality on relais_id lets PostgreSQL read the index in order).

    Closed requests (`statut` « closes » or one closed status) are listed most recently closed first: the
    animatrice looks for what just happened, or for a family who calls back.
    """
    maintenant = maintenant or timezone.now()
    if filtres.statut == CLOSES:
        demandes = demandes.filter(statut__in=STATUTS_FERMES)
    elif filtres.statut:
        demandes = demandes.filter(statut=filtres.statut)
    else:
        demandes = demandes.filter(statut__in=STATUTS_OUVERTS)
    if relais := filtres.relais or seul_relais:
        demandes = demandes.filter(relais_id=relais)
    if filtres.commune:
        demandes = demandes.filter(commune_id=filtres.commune)
    if filtres.mode:
        demandes = demandes.filter(modes__contains=[filtres.mode])
    # An urgent need has its answer once the family is offered an appointment: `cle_urgence` is then cleared.
    if filtres.urgence == "toutes":
        demandes = demandes.filter(urgence=True)
    elif filtres.urgence == "sans_reponse":
        demandes = demandes.filter(cle_urgence__isnull=False)
    elif filtres.urgence == "en_retard":
        demandes = demandes.filter(cle_urgence__lt=maintenant)
    if filtres.prise_par:
        demandes = demandes.filter(prise_par_id=filtres.prise_par)
    if filtres.mois_debut:
        demandes = demandes.filter(
            date_debut_souhaitee__year=filtres.mois_debut.year, date_debut_souhaitee__month=filtres.mois_debut.month
        )
    if filtres.age:
        aujourd_hui = timezone.localdate()
        un_an, trois_ans, six_ans = (_il_y_a_ans(aujourd_hui, n) for n in (1, 3, 6))
        demandes = demandes.filter(
            {
                "a_naitre": Q(enfant_a_naitre=True),
                "moins_1": Q(enfant_a_naitre=False, enfant_date__gt=un_an),
                "1_3": Q(enfant_a_naitre=False, enfant_date__gt=trois_ans, enfant_date__lte=un_an),
                "3_6": Q(enfant_a_naitre=False, enfant_date__gt=six_ans, enfant_date__lte=trois_ans),
            }[filtres.age]
        )
    if recherche := filtres.recherche.strip():
        demandes = demandes.filter(
            Q(reference__icontains=recherche)
            | Q(parent__last_name__icontains=recherche)
            | Q(enfant_prenom__icontains=recherche)
        )
    if filtres.closes:
        return demandes.order_by("-statut_modifie_at", "-pk")
    urgences_d_abord = F("cle_urgence").asc(nulls_last=True)
    if filtres.tri == "anciennete":
        return demandes.order_by(urgences_d_abord, "date_depot", "pk")
    if filtres.tri == "debut":
        return demandes.order_by(urgences_d_abord, "date_debut_souhaitee", "date_depot", "pk")
    if relais:
        return demandes.order_by(urgences_d_abord, "-cle_classement", "date_depot", "pk")
    semaine = semaine_calendaire(maintenant)
    return demandes.annotate(
        cle_du_jour=F("cle_classement") + F(P + "poids_semaine_attente") * Value(semaine)
    ).order_by(urgences_d_abord, "-cle_du_jour", "date_depot", "pk")


@dataclass(frozen=True)
class Compteurs:
    nouvelles: int
    urgentes: int
    en_retard: int
    pour_moi: int


def compteurs_de_la_file(demandes: QuerySet[Demande], user, maintenant: datetime) -> Compteurs:
    """What the relais home counts, in one query: new requests, urgent needs still without an answer (those the
    queue puts first), the overdue ones among them, and the open requests the user follows."""
    totaux = demandes.filter(statut__in=STATUTS_OUVERTS).aggregate(
        nouvelles=Count("pk", filter=Q(statut=Statut.NOUVELLE)),
        urgentes=Count("pk", filter=Q(cle_urgence__isnull=False)),
        en_retard=Count("pk", filter=Q(cle_urgence__lt=maintenant)),
        pour_moi=Count("pk", filter=Q(prise_par=user)),
    )
    return Compteurs(**totaux)


def page_de_la_file(
    file: QuerySet[Demande], numero: str | None, par_page: int, maintenant: datetime
) -> tuple[Page, list[Demande]]:
    """One page of the queue: the ids in key order (an index scan), then those rows with today's score and its
    breakdown, in one query each whatever the number of open requests."""
    page = Paginator(file.values_list("pk", flat=True), par_page).get_page(numero)
    ids = list(page.object_list)
    lignes = (
        annoter_score(Demande.objects.filter(pk__in=ids), maintenant)
        .select_related("commune", "parent", "prise_par")
        .only(*COLONNES_DE_LA_FILE)
    )
    par_id = {demande.pk: demande for demande in lignes}
    return page, [par_id[pk] for pk in ids]


# What a row of the queue shows (template demandes/file.html) and what its score reads.
COLONNES_DE_LA_FILE = (
    "reference",
    "statut",
    # A family referred by France Travail or a social service is flagged on its row.
    "source",
    "date_depot",
    "relais_id",
    "urgence",
    "enfant_prenom",
    "enfant_a_naitre",
    "enfant_date",
    "date_debut_souhaitee",
    "modes",
    "commune",
    "commune__nom",
    "parent",
    "parent__first_name",
    "parent__last_name",
    "parent__email",
    "prise_par",
    "prise_par__first_name",
    "prise_par__last_name",
    "prise_par__email",
)


def echeance_urgence(demande: Demande) -> datetime | None:
    """An urgent need gets an answer within 24 h: the first appointment is due by then."""
    if not demande.urgence or demande.statut not in (Statut.NOUVELLE, Statut.PRISE_EN_CHARGE):
        return None
    return demande.date_depot + timedelta(hours=24)


def _jj_mm_aaaa(jour: date) -> str:
    return jour.strftime("%d/%m/%Y")


def lignes_de_la_file(demandes: list[Demande], maintenant: datetime) -> list[dict]:
    """The queue's rows as the page shows them (template demandes/file.html), from `page_de_la_file`'s requests.

    Every text of a row is computed here once, in plain Python: the page shows 25 rows of six cells, and the
    template engine spent more on their lookups, `date` filters and conditions than the rest of the page. Dicts,
    because a template reads a key first. The strings are not escaped here: the template escapes them."""
    aujourd_hui = timezone.localdate(maintenant)
    lignes = []
    for d in demandes:
        echeance = echeance_urgence(d)
        en_retard = echeance is not None and echeance < maintenant
        if echeance is None:
            badge, classe = ("Urgente", "text-bg-secondary") if d.urgence else ("", "")
        elif en_retard:
            badge, classe = f"Urgente – en retard de {timesince(echeance, maintenant)}", "text-bg-danger"
        else:
            badge, classe = f"Urgente – reste {timeuntil(echeance, maintenant)}", "text-bg-warning"
        prise_par = d.prise_par
        lignes.append(
            {
                "demande": d,
                "en_retard": en_retard,
                "score": d.score,
                "criteres": [f"{libelle} : +{points}" for libelle, points in detail_du_score(d)],
                "reference": d.reference,
                "parent": d.parent.get_full_name(),
                "deposee_le": _jj_mm_aaaa(timezone.localtime(d.date_depot)),
                "badge": badge,
                "badge_classe": classe,
                "orientee": d.source == Source.ORIENTATION,
                "debut_a_verifier": d.urgence_contredite(aujourd_hui),
                "enfant": f"{d.enfant_prenom} (à naître)" if d.enfant_a_naitre else d.enfant_prenom,
                "enfant_date": _jj_mm_aaaa(d.enfant_date),
                "commune": d.commune.nom,
                "debut": _jj_mm_aaaa(d.date_debut_souhaitee),
                "modes": ", ".join(d.libelles_modes),
                "statut": d.get_statut_display(),
                "suivie_par": (prise_par.get_full_name() or prise_par.email) if prise_par else "",
                "a_prendre": d.statut == Statut.NOUVELLE,
            }
        )
    return lignes


def cle_de_la_file(user, parametres: str, maintenant: datetime) -> str | None:
    """The cache key of the queue's rendered content for this user, these GET parameters and this minute, or None
    when the cache is off.

    The versions of the user's relais change with every committed write of one of their requests or weights
    (database triggers, migration 0013): an animatrice who acts sees her change at once. The minute bounds the
    rest: the urgency countdowns, the waiting weeks, and what the versions do not follow (a renamed parent or
    commune, a changed territory) show at most a minute late. The versions are read before the requests, so a
    key never names content older than its versions."""
    if not settings.FILE_D_ATTENTE_CACHE_SECONDES:
        return None
    versions = VersionDeLaFile.objects.filter(relais__in=relais_for_user(user).values("pk")).order_by("relais_id")
    empreinte = ".".join(f"{r}:{v}" for r, v in versions.values_list("relais_id", "version"))
    minute = timezone.localtime(maintenant).strftime("%Y%m%d%H%M")
    return f"file:{user.pk}:{minute}:{hashlib.sha256(f'{empreinte}?{parametres}'.encode()).hexdigest()}"


def get_demande_detaillee(demandes: QuerySet[Demande], pk: int, *, avec_notes: bool) -> Demande:
    """One request with everything its page shows, in a fixed number of queries.

    Not every relation is joined: PostgreSQL plans each query anew, and past 8 relations (its
    `join_collapse_limit`) planning this one took 7 ms against 0.3 ms to run it. The second guardian is read
    from her id, the proposal retained from the prefetched proposals (`proposition_retenue`)."""
    prefetch = [
        Prefetch(
            "historique", queryset=HistoriqueDemande.objects.select_related("auteur").order_by("created_at", "pk")
        ),
        Prefetch("rendez_vous", queryset=RendezVous.objects.order_by("-debut", "-pk")),
        Prefetch(
            "propositions",
            queryset=Proposition.objects.select_related("assistant_maternel").order_by("created_at", "pk"),
        ),
    ]
    if avec_notes:
        prefetch.append(
            Prefetch("notes_privees", queryset=NotePrivee.objects.select_related("auteur").order_by("-created_at"))
        )
    return (
        annoter_score(demandes)
        .select_related("commune", "relais__commune_siege", "parent", "prise_par")
        .prefetch_related(*prefetch)
        .get(pk=pk)
    )


def proposition_retenue(demande: Demande) -> Proposition | None:
    """The proposal the family took up, from the prefetch of `get_demande_detaillee`."""
    if demande.proposition_retenue_id is None:
        return None
    return next((p for p in demande.propositions.all() if p.pk == demande.proposition_retenue_id), None)


def get_rendez_vous_prevu(demande: Demande) -> RendezVous | None:
    """The request's coming appointment (one at most, database constraint), from the prefetch when there is one."""
    return next((r for r in demande.rendez_vous.all() if r.statut == RendezVous.Statut.PREVU), None)


def list_propositions_de_la_demande(demandes: QuerySet[Demande], pk: int) -> QuerySet[Proposition]:
    """The proposals a solution may name: those of this request, if `demandes` holds it."""
    return Proposition.objects.filter(demande__in=demandes, demande_id=pk).order_by("created_at", "pk")


def list_doublons_possibles(demandes: QuerySet[Demande], demande: Demande) -> QuerySet[Demande]:
    """Other open requests `demandes` holds for the same child (first name as normalised, birth date) and the same
    family: a parent in common (account, e-mail, phone, either as second guardian). Both parents filing, or a
    request typed by the relais for a family that also filed online: the animatrice merges them by hand."""
    parents = [pk for pk in (demande.parent_id, demande.second_responsable_id) if pk]
    meme_famille = (
        Q(parent_id__in=parents)
        | Q(second_responsable_id__in=parents)
        | Q(parent__email__iexact=demande.parent.email)
        | Q(telephone=demande.telephone)
    )
    return (
        demandes.filter(
            meme_famille,
            enfant_prenom_normalise=demande.enfant_prenom_normalise,
            enfant_date=demande.enfant_date,
            statut__in=STATUTS_OUVERTS,
        )
        .exclude(pk=demande.pk)
        .only("pk", "reference", "date_depot")
        .order_by("date_depot", "pk")
    )


def list_mes_demandes(demandes: QuerySet[Demande]) -> QuerySet[Demande]:
    return demandes.select_related("relais").order_by("-date_depot", "-pk")


def list_parametres_publics(relais_id: int | None = None) -> QuerySet[ParametresClassement]:
    parametres = ParametresClassement.objects.select_related("relais").order_by("relais__nom", "pk")
    return parametres.filter(relais_id=relais_id) if relais_id else parametres


def criteres_publies(parametres: ParametresClassement) -> list[tuple[str, int]]:
    """The published criteria, worded from the weight fields' own labels: the page cannot drift from the config."""
    champs = ParametresClassement._meta
    return [(str(champs.get_field(c.poids).verbose_name), getattr(parametres, c.poids)) for c in CRITERES]


def list_demandes_a_cloturer() -> list[int]:
    """Requests waiting for the family for longer than their relais' delay (one query per relais)."""
    maintenant = timezone.now()
    ids: list[int] = []
    for relais_id, delai in ParametresClassement.objects.order_by("pk").values_list(
        "relais_id", "delai_sans_reponse_jours"
    ):
        ids += (
            Demande.objects.filter(
                relais_id=relais_id,
                statut__in=statuts_de_depart("cloturer"),
                statut_modifie_at__lt=maintenant - timedelta(days=delai),
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return ids


def list_propositions_de_l_assmat(user) -> QuerySet[Proposition]:
    """Proposals the relais sent to a childminder: the need, never the family's identity or contact."""
    return (
        Proposition.objects.filter(assistant_maternel__user=user)
        .select_related("demande__commune", "demande__relais")
        .order_by("-created_at", "-pk")
    )


def get_brouillon(parent) -> BrouillonDemande | None:
    """The parent's one form in progress (a new request, or changes to an open one), if any."""
    return BrouillonDemande.objects.filter(parent=parent).select_related("demande").first()


def get_demande_deposee_avec(parent, jeton) -> Demande | None:
    """The request this submission already created: a replayed or double-clicked form finds it."""
    return Demande.objects.filter(parent=parent, jeton_depot=jeton).first()


def get_reference(demande_id: int) -> str:
    """Only the reference, for the message naming the open request a new one would duplicate."""
    return Demande.objects.values_list("reference", flat=True).get(pk=demande_id)


# Who makes each service of `Demande.TRANSITIONS` (the services check it again, `exiger_relais` / `exiger_famille`):
# the relais' team processes the request; the family changes or withdraws it and answers the appointment; the
# proposed childminder answers her proposal. No person closes a request left without an answer: the nightly job does.
SERVICES_DU_RELAIS = frozenset(
    {
        "prendre_en_charge",
        "proposer_rendez_vous",
        "deplacer_rendez_vous",
        "annuler_rendez_vous",
        "noter_rendez_vous_realise",
        "noter_famille_absente",
        "enregistrer_proposition",
        "enregistrer_solution",
        "declarer_sans_solution",
    }
)
SERVICES_DE_LA_FAMILLE = frozenset({"modifier", "retirer", "confirmer_rendez_vous", "demander_deplacement"})


def actions_possibles(demande: Demande, user) -> frozenset[str]:
    """What `user`, who sees the request, may do to it now, named by its service: a move `Demande.TRANSITIONS`
    declares from its status, and that person's to make. Pages ask this instead of restating statuses; whether the
    appointment has started (its outcome is noted after, the family answers before) is the page's to show."""
    declarees = services_depuis(demande.statut)
    if est_de_l_equipe(user):
        return declarees & SERVICES_DU_RELAIS
    if not user.is_authenticated:
        return frozenset()
    if user.pk in (demande.parent_id, demande.second_responsable_id):
        return declarees & SERVICES_DE_LA_FAMILLE
    if "repondre_proposition" in declarees and (
        demande.propositions.filter(assistant_maternel__user=user, reponse_assmat="").exists()
    ):
        return frozenset({"repondre_proposition"})
    return frozenset()
