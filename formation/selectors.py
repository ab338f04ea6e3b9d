"""Reads on continuing training: sessions near a childminder, seats left, the needs report, the
"thanks to the relais" rule, alternative-childcare candidates and the mission 3 figures."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

# The search radius is the offer's setting; assmats.selectors does not expose it yet, hence this one
# read of another app's model outside a foreign key (see ARCHITECTURE.md: to move behind a selector).
from assmats.selectors import CriteresRecherche, avec_places_libres, rayon_recherche_km, rechercher_structures
from formation.models import (
    DemandeAccueilAlternatif,
    Inscription,
    JoursPreferes,
    MiseEnRelation,
    PropositionAccueilAlternatif,
    SessionFormation,
    SouhaitFormation,
)
from formation.permissions import est_du_relais
from relais.models import Relais
from relais.selectors import communes_voisines, list_communes_du_territoire

# --- Sessions -----------------------------------------------------------------------------------------------------


def avec_places_restantes(sessions: QuerySet[SessionFormation]) -> QuerySet[SessionFormation]:
    occupees = Count("inscriptions", filter=Q(inscriptions__statut__in=Inscription.STATUTS_OCCUPANT_UNE_PLACE))
    return sessions.annotate(places_prises=occupees, places_restantes=F("capacite") - occupees)


def places_prises(session: SessionFormation) -> int:
    return session.inscriptions.filter(statut__in=Inscription.STATUTS_OCCUPANT_UNE_PLACE).count()


def rayon_km() -> int:
    return rayon_recherche_km()


def list_sessions_proches(assmat, au: date | None = None) -> QuerySet[SessionFormation]:
    """Upcoming sessions with seats left in her commune or a neighbouring one (within the offer's radius),
    with `distance_km` and `deja_inscrite`."""
    au = au or timezone.localdate()
    voisines = communes_voisines(assmat.commune, rayon_km())
    deja = Inscription.objects.filter(
        session=OuterRef("pk"), assistant_maternel=assmat, statut__in=Inscription.STATUTS_OCCUPANT_UNE_PLACE
    )
    sessions = (
        avec_places_restantes(SessionFormation.objects.filter(commune_id__in=list(voisines), date_debut__gt=au))
        .annotate(deja_inscrite=Exists(deja))
        .filter(Q(places_restantes__gt=0) | Q(deja_inscrite=True))
        .select_related("organisme", "theme", "commune", "relais")
        .order_by("date_debut", "heure_debut", "pk")
    )
    for session in sessions:
        session.distance_km = voisines.get(session.commune_id)
    return sessions


def list_sessions_du_relais(sessions: QuerySet[SessionFormation]) -> QuerySet[SessionFormation]:
    return (
        avec_places_restantes(sessions)
        .select_related("organisme", "theme", "commune", "relais")
        .order_by("-date_debut", "heure_debut", "pk")
    )


def list_sessions_ics(relais: Relais) -> QuerySet[SessionFormation]:
    """Every session of the relais, past ones included: calendar apps keep the history."""
    return (
        SessionFormation.objects.filter(relais=relais)
        .select_related("organisme", "theme", "commune")
        .order_by("date_debut", "heure_debut", "pk")
    )


def list_inscriptions_de_la_session(session: SessionFormation) -> QuerySet[Inscription]:
    return (
        session.inscriptions.select_related("assistant_maternel__commune")
        .prefetch_related("enfants_concernes__accueil")
        .order_by("assistant_maternel__nom", "assistant_maternel__prenom", "pk")
    )


def list_mes_inscriptions(inscriptions: QuerySet[Inscription]) -> QuerySet[Inscription]:
    return (
        inscriptions.select_related("session__organisme", "session__commune", "session__theme")
        .prefetch_related("enfants_concernes__accueil")
        .order_by("-session__date_debut", "pk")
    )


def enfants_presents_pendant(inscription: Inscription) -> list:
    """Children in her care on at least one day of the session that is one of their care days."""
    session = inscription.session
    jours = _jours_de(session.date_debut, session.date_fin)
    accueils = inscription.assistant_maternel.accueils.filter(
        Q(date_fin__isnull=True) | Q(date_fin__gte=session.date_debut), date_debut__lte=session.date_fin
    ).order_by("prenom_enfant", "pk")
    return [a for a in accueils if any(a.present(jour) and jour.weekday() in a.jours for jour in jours)]


def _jours_de(debut: date, fin: date) -> list[date]:
    return [debut + timedelta(days=n) for n in range((fin - debut).days + 1)]


@dataclass
class Calendrier:
    annee: int
    mois: int
    semaines: list[list[dict]]
    precedent: date
    suivant: date

    @property
    def premier_jour(self) -> date:
        return date(self.annee, self.mois, 1)


def calendrier_du_mois(sessions: QuerySet[SessionFormation], annee: int, mois: int) -> Calendrier:
    """Weeks of the month (Monday first), each day with the sessions held that day."""
    premier = date(annee, mois, 1)
    dernier = date(annee, mois, calendar.monthrange(annee, mois)[1])
    du_mois = list(
        sessions.filter(date_debut__lte=dernier, date_fin__gte=premier)
        .select_related("commune", "organisme")
        .order_by("date_debut", "heure_debut", "pk")
    )
    semaines = []
    for semaine in calendar.Calendar(firstweekday=0).monthdatescalendar(annee, mois):
        semaines.append(
            [
                {
                    "date": jour,
                    "du_mois": jour.month == mois,
                    "sessions": [s for s in du_mois if s.date_debut <= jour <= s.date_fin],
                }
                for jour in semaine
            ]
        )
    precedent = (premier - timedelta(days=1)).replace(day=1)
    suivant = dernier + timedelta(days=1)
    return Calendrier(annee=annee, mois=mois, semaines=semaines, precedent=precedent, suivant=suivant)


# --- Needs report ---------------------------------------------------------------------------------------------------


def souhaits_du_relais(relais: Relais) -> QuerySet[SouhaitFormation]:
    """Active wishes of the childminders living in the relais' territory."""
    return SouhaitFormation.objects.actifs().filter(assistant_maternel__commune__territoire__relais=relais)


# Weekdays, then Saturdays, then either: the order of the choices, not the alphabet.
ORDRE_DES_JOURS = Case(
    *(When(jours_preferes=valeur, then=Value(rang)) for rang, valeur in enumerate(JoursPreferes.values)),
    default=Value(len(JoursPreferes.values)),
)


def besoins_agreges(relais: Relais) -> list[dict]:
    """Wishes counted by theme × commune × preferred days, in SQL: one row per group, with the number of
    wishes and of distinct childminders (a childminder has at most one active wish per theme)."""
    lignes = (
        souhaits_du_relais(relais)
        .values("theme_id", "theme__libelle", "commune_id", "commune__nom", "commune__code_insee", "jours_preferes")
        .annotate(souhaits=Count("pk"), assmats=Count("assistant_maternel", distinct=True))
        .order_by("theme__ordre", "theme__libelle", "commune__nom", ORDRE_DES_JOURS)
    )
    libelles = dict(JoursPreferes.choices)
    return [ligne | {"jours_libelle": libelles[ligne["jours_preferes"]]} for ligne in lignes]


def besoins_par_theme(relais: Relais) -> list[dict]:
    """Totals per theme, for the chart."""
    return list(
        souhaits_du_relais(relais)
        .values("theme__libelle")
        .annotate(souhaits=Count("pk"))
        .order_by("-souhaits", "theme__libelle")
    )


def list_mises_en_relation(relais: Relais) -> QuerySet[MiseEnRelation]:
    return (
        MiseEnRelation.objects.filter(relais=relais)
        .select_related("organisme")
        .annotate(nb_souhaits=Count("souhaits"))
        .order_by("-date", "-pk")
    )


# --- "Thanks to the relais" ---------------------------------------------------------------------------------------


def motifs_grace_au_relais(inscription: Inscription, avant: datetime) -> list[str]:
    """Why the departure follows the relais' action, as evidence (empty list: it does not):

    - needs collection: she had a wish recorded before the session started, for its theme or one the
      session was set up to answer (withdrawn wishes count: the collection happened);
    - mise en relation: one of her wishes was sent to the session's training body before the session;
    - alternative childcare found: a parent of a child she cares for received a proposal, made before
      `avant` (the departure), that the parent did not refuse.
    """
    session = inscription.session
    debut = timezone.make_aware(datetime.combine(session.date_debut, session.heure_debut))
    ses_souhaits = SouhaitFormation.objects.filter(
        assistant_maternel_id=inscription.assistant_maternel_id, created_at__lt=debut
    )
    motifs = []
    if ses_souhaits.filter(Q(theme_id=session.theme_id) | Q(sessions=session)).exists():
        motifs.append(Inscription.MotifGrace.RECUEIL_BESOINS)
    if MiseEnRelation.objects.filter(
        souhaits__in=ses_souhaits, organisme_id=session.organisme_id, date__lte=session.date_debut
    ).exists():
        motifs.append(Inscription.MotifGrace.MISE_EN_RELATION)
    if (
        PropositionAccueilAlternatif.objects.filter(demande__inscription=inscription, propose_le__lte=avant)
        .exclude(reponse=PropositionAccueilAlternatif.Reponse.REFUSEE)
        .exists()
    ):
        motifs.append(Inscription.MotifGrace.ACCUEIL_ALTERNATIF)
    return motifs


# --- Alternative childcare ------------------------------------------------------------------------------------------


def list_demandes_alternatives(demandes: QuerySet[DemandeAccueilAlternatif]) -> QuerySet[DemandeAccueilAlternatif]:
    return (
        demandes.select_related("inscription__assistant_maternel", "inscription__session", "relais")
        .prefetch_related("propositions__assistant_maternel", "propositions__structure")
        .order_by(
            # New requests first, then the oldest received.
            Case(When(statut=DemandeAccueilAlternatif.Statut.NOUVELLE, then=Value(0)), default=Value(1)),
            "created_at",
            "pk",
        )
    )


def candidats_assmats(candidats: QuerySet, demande: DemandeAccueilAlternatif) -> list:
    """Childminders of the relais with a valid agrément and a free place on every day of the request,
    the childminder in training excluded, and those who deleted their account (no one to contact).
    `candidats` comes from `permissions.candidats_for_user`. A childminder enrolled in a session on one of those
    days is in training herself then: she is left out too."""
    jours = _jours_de(demande.date_debut, demande.date_fin)[:14]
    en_formation = Inscription.objects.filter(
        statut__in=Inscription.STATUTS_OCCUPANT_UNE_PLACE,
        session__date_debut__lte=demande.date_fin,
        session__date_fin__gte=demande.date_debut,
    ).values("assistant_maternel_id")
    queryset = (
        candidats.exclude(pk=demande.inscription.assistant_maternel_id)
        .exclude(pk__in=en_formation)
        .filter(anonymise_le__isnull=True)
    )
    retenus: set[int] | None = None
    for jour in jours:
        libres = set(
            avec_places_libres(queryset.agrement_valide(jour), jour)
            .filter(libres_total__gt=0)
            .values_list("pk", flat=True)
        )
        retenus = libres if retenus is None else retenus & libres
    if not retenus:
        return []
    return list(
        avec_places_libres(queryset.filter(pk__in=retenus), demande.date_debut)
        .select_related("commune")
        .order_by("commune__nom", "nom", "prenom", "pk")
    )


def candidats_structures(demande: DemandeAccueilAlternatif) -> list:
    """Structures of the relais' territory with free places declared on the first day."""
    communes = {pk: None for pk in list_communes_du_territoire(demande.relais).values_list("pk", flat=True)}
    return list(rechercher_structures(CriteresRecherche(communes=communes, debut=demande.date_debut)))


# --- Mission 3 of circular C 2017-003 --------------------------------------------------------------------------------


@dataclass
class Mission3:
    annee: int
    departs: list = field(default_factory=list)
    departs_annee_precedente: list = field(default_factory=list)
    demandes: list = field(default_factory=list)
    demandes_avec_proposition: list = field(default_factory=list)

    @property
    def progression_atteinte(self) -> bool | None:
        """(a) at least 1.10 × the previous year; undefined (None) when the previous year has none."""
        if not self.departs_annee_precedente:
            return None
        return len(self.departs) * 100 >= len(self.departs_annee_precedente) * 110

    @property
    def taux_proposition(self) -> float | None:
        return len(self.demandes_avec_proposition) / len(self.demandes) if self.demandes else None

    @property
    def proposition_atteinte(self) -> bool | None:
        """(b) at least 80 % of the requests of the year received a proposal."""
        if not self.demandes:
            return None
        return len(self.demandes_avec_proposition) * 100 >= len(self.demandes) * 80


def _assmats_parties_grace_au_relais(relais: Relais, annee: int) -> list[int]:
    return list(
        Inscription.objects.filter(
            grace_au_relais=True,
            partie_le__year=annee,
            assistant_maternel__commune__territoire__relais=relais,
        )
        .order_by("assistant_maternel_id")
        .values_list("assistant_maternel_id", flat=True)
        .distinct()
    )


def mission_3(relais: Relais, annee: int) -> Mission3:
    """Figures of mission 3 for a relais and a calendar year, with the records behind them (ids)."""
    demandes = DemandeAccueilAlternatif.objects.filter(relais=relais, created_at__year=annee).annotate(
        nb_propositions=Coalesce(Count("propositions"), Value(0), output_field=IntegerField())
    )
    return Mission3(
        annee=annee,
        departs=_assmats_parties_grace_au_relais(relais, annee),
        departs_annee_precedente=_assmats_parties_grace_au_relais(relais, annee - 1),
        demandes=list(demandes.order_by("pk").values_list("pk", flat=True)),
        demandes_avec_proposition=list(
            demandes.filter(nb_propositions__gt=0).order_by("pk").values_list("pk", flat=True)
        ),
    )


def actions_possibles(objet: Inscription | DemandeAccueilAlternatif, user) -> frozenset[str]:
    """What `user` may do to an enrolment or an alternative childcare request now, named by its service: a move
    its model's `TRANSITIONS` declares from its status, and that person's to make. The relais' team makes every
    move (an answer too, after a phone call); the childminder cancels her enrolment before leaving; the parent
    answers a proposal. A departure also waits for the session's start (`services.marquer_partie` says so)."""
    declarees = {nom for (de, _vers), nom in type(objet).TRANSITIONS.items() if de == objet.statut}
    if est_du_relais(user):
        return frozenset(declarees)
    if isinstance(objet, Inscription):
        sienne = user.is_authenticated and objet.assistant_maternel.user_id == user.pk
        if sienne and objet.statut == Inscription.Statut.INSCRITE:
            return frozenset(declarees & {"annuler_inscription"})
        return frozenset()
    if user.is_authenticated and objet.parent_id == user.pk:
        return frozenset(declarees & {"repondre_proposition"})
    return frozenset()


def demande_alternative_de(enfant) -> DemandeAccueilAlternatif | None:
    """The alternative care request already filed for a child in care during a training, if any."""
    return DemandeAccueilAlternatif.objects.filter(enfant_concerne=enfant).order_by("pk").first()
