"""The pages the benchmark measures.

To measure a new page, append a `Page` to `PAGES`: its URL name, its URL arguments, and the demo account
that logs in (None for an anonymous visitor). An argument that depends on the seeded data is given as a
function without parameters, called once after seeding (see `premier_relais`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portail.demo import DEMO_DOMAIN

ANIMATEUR = f"animateur@{DEMO_DOMAIN}"
AGENT_CAF = f"agent.caf@{DEMO_DOMAIN}"
# The demo's tiers payant conventions are with the demo childminder, in the Béziers relais: its responsible
# opens the convention pages.
ANIMATRICE_BEZIERS = f"animateur.3.1@{DEMO_DOMAIN}"
PARENT = f"parent@{DEMO_DOMAIN}"
ASSMAT = f"assmat@{DEMO_DOMAIN}"
ADMIN = f"admin@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class Page:
    url_name: str
    args: tuple[Any | Callable[[], Any], ...] = ()
    user: str | None = None  # e-mail of a seeded account; None: anonymous
    note: str = ""  # tells apart two entries with the same URL name
    status: int = 200  # the run stops if a response has another status
    query: Callable[[], str] | None = None  # query string, computed after seeding
    path_override: str = ""  # a literal path instead of url_name (bench/run.py --throughput-page /path)

    def path(self) -> str:
        from django.urls import reverse

        if self.path_override:
            return self.path_override
        path = reverse(self.url_name, args=self.resolved_args())
        return f"{path}?{self.query()}" if self.query else path

    @property
    def label(self) -> str:
        if self.path_override:
            return self.path_override
        return f"{self.url_name} ({self.note})" if self.note else self.url_name

    def resolved_args(self) -> tuple[Any, ...]:
        return tuple(arg() if callable(arg) else arg for arg in self.args)


def premier_relais() -> int:
    """The first relais created by the seed (RPE Montpellier Nord)."""
    from relais.models import Relais

    return Relais.objects.order_by("pk").values_list("pk", flat=True).first()


def relais_au_plus_grand_territoire() -> int:
    """The relais serving the most communes: the heaviest public page of a relais."""
    from django.db.models import Count

    from relais.models import Relais

    return Relais.objects.annotate(n=Count("territoire")).order_by("-n", "pk").values_list("pk", flat=True).first()


def recherche_montpellier() -> str:
    """Public search around the biggest commune: the largest result set of the demo."""
    from relais.models import Commune

    return f"commune={Commune.objects.get(code_insee='34172').pk}&voisines=on"


def recherche_montpellier_bebe_samedi() -> str:
    return recherche_montpellier() + "&tranche=moins_3&atypiques=samedi"


def demande_ouverte_du_premier_relais() -> int:
    """The best-ranked open request of the first relais: the detail page an animator opens from the queue."""
    from demandes.models import STATUTS_OUVERTS, Demande

    ouvertes = Demande.objects.filter(relais_id=premier_relais(), statut__in=STATUTS_OUVERTS)
    return ouvertes.order_by("date_depot", "pk").values_list("pk", flat=True).first()


def premier_pour(email: str, objets: Callable[[Any], Any]) -> Callable[[], int]:
    """The first object the demo account may open, read through the same permission selector as its view,
    so that the page answers 200 and not 404."""

    def pk() -> int:
        from comptes.models import User

        trouve = objets(User.objects.get(email=email)).order_by("pk").values_list("pk", flat=True).first()
        if trouve is None:
            raise SystemExit(f"bench: the demo data holds nothing of this kind for {email}: add it to the seed")
        return trouve

    return pk


def _assmats(user):
    from assmats.permissions import assmats_for_user

    return assmats_for_user(user)


def _signalements_sans_entretien(user):
    from assmats.permissions import signalements_for_user

    return signalements_for_user(user).filter(entretiens__isnull=True)


def _structures(user):
    from assmats.permissions import structures_for_user

    return structures_for_user(user)


def _relances(user):
    from assmats.models import RelanceAffichage
    from relais.permissions import relais_for_user

    return RelanceAffichage.objects.filter(relais__in=relais_for_user(user))


def _organismes(user):
    from formation.permissions import organismes_for_user

    return organismes_for_user(user)


def _sessions(user):
    from formation.permissions import sessions_for_user

    return sessions_for_user(user)


def _demandes_alternatives(user):
    from formation.permissions import demandes_alternatives_for_user

    return demandes_alternatives_for_user(user)


def _conventions(user):
    from tiers_payant.permissions import conventions_for_user

    return conventions_for_user(user)


def _conventions_en_cours(user):
    from tiers_payant.models import Statut

    return _conventions(user).filter(statut=Statut.ACTIVE)


def _relais_des_indicateurs(user):
    from indicateurs.permissions import relais_indicateurs_for_user

    return relais_indicateurs_for_user(user)


def _departements_des_indicateurs(user):
    from indicateurs.permissions import departements_indicateurs_for_user

    return departements_indicateurs_for_user(user)


def _calculs(user):
    from indicateurs.models import Calcul

    return Calcul.objects.filter(relais__in=_relais_des_indicateurs(user))


def annee_en_cours() -> int:
    from django.utils import timezone

    return timezone.localdate().year


# Every page that only the relais' staff or the CAF may open, one entry per URL name
# (tests/ops/test_bench_pages.py fails when a staff page of the permission matrix is missing here; files to
# download, CSV and PDF, are measured by their own benchmarks).
PAGES_DU_PERSONNEL: list[Page] = [
    Page("portail:espace_animateur", user=ANIMATEUR),
    Page("portail:espace_caf", user=AGENT_CAF),
    Page("relais:equipe", args=(premier_relais,), user=ANIMATEUR),
    Page("assmats:liste", user=ANIMATEUR),
    Page("assmats:fiche", args=(premier_pour(ANIMATEUR, _assmats),), user=ANIMATEUR),
    Page("assmats:relance", args=(premier_pour(ANIMATEUR, _relances),), user=ANIMATEUR),
    Page("assmats:sous_activites", user=ANIMATEUR),
    Page("assmats:proposer_entretien", args=(premier_pour(ANIMATEUR, _signalements_sans_entretien),), user=ANIMATEUR),
    Page("assmats:structures", user=ANIMATEUR),
    Page("assmats:structure", args=(premier_pour(ANIMATEUR, _structures),), user=ANIMATEUR),
    Page("formation:organismes", user=ANIMATEUR),
    Page("formation:organisme_modifier", args=(premier_pour(ANIMATEUR, _organismes),), user=ANIMATEUR),
    Page("formation:sessions", user=ANIMATEUR),
    Page("formation:session_creer", user=ANIMATEUR),
    Page("formation:session", args=(premier_pour(ANIMATEUR, _sessions),), user=ANIMATEUR),
    Page("formation:session_modifier", args=(premier_pour(ANIMATEUR, _sessions),), user=ANIMATEUR),
    Page("formation:besoins", user=ANIMATEUR),
    Page("formation:mise_en_relation", user=ANIMATEUR),
    Page("formation:demandes", user=ANIMATEUR),
    Page("formation:demande_alternative", args=(premier_pour(ANIMATEUR, _demandes_alternatives),), user=ANIMATEUR),
    Page("formation:demande_telephone", user=ANIMATEUR),
    Page("formation:calendrier", user=ANIMATEUR),
    Page("tiers_payant:conventions", user=ANIMATRICE_BEZIERS),
    Page("tiers_payant:preparer", user=ANIMATRICE_BEZIERS),
    Page("tiers_payant:convention", args=(premier_pour(ANIMATRICE_BEZIERS, _conventions),), user=ANIMATRICE_BEZIERS),
    Page("tiers_payant:releves", args=(premier_pour(ANIMATRICE_BEZIERS, _conventions),), user=ANIMATRICE_BEZIERS),
    Page(
        "tiers_payant:resilier",
        args=(premier_pour(ANIMATRICE_BEZIERS, _conventions_en_cours),),
        user=ANIMATRICE_BEZIERS,
    ),
    Page("tiers_payant:resultats", user=ANIMATRICE_BEZIERS),
    Page("demandes:file", user=ANIMATEUR, note="file d'attente du premier relais"),
    Page("demandes:file", user=ANIMATEUR, query=lambda: "page=20", note="file d'attente, page 20"),
    Page("demandes:detail", args=(demande_ouverte_du_premier_relais,), user=ANIMATEUR, note="plus ancienne ouverte"),
    Page(
        "demandes:mise_en_relation",
        args=(demande_ouverte_du_premier_relais,),
        user=ANIMATEUR,
        note="assmats du premier relais",
    ),
    Page("demandes:saisir", user=ANIMATEUR),
    Page("demandes:besoins_non_satisfaits", user=ANIMATEUR),
    Page("orientations:recues", user=ANIMATEUR),
    Page("audit:journal", user=AGENT_CAF),
    Page("indicateurs:tableau", user=AGENT_CAF, query=lambda: f"annee={annee_en_cours()}", note="année en cours"),
    Page("indicateurs:relais", args=(premier_pour(AGENT_CAF, _relais_des_indicateurs),), user=AGENT_CAF),
    Page("indicateurs:engagement", args=(premier_pour(AGENT_CAF, _relais_des_indicateurs),), user=AGENT_CAF),
    Page(
        "indicateurs:detail",
        args=(premier_pour(AGENT_CAF, _relais_des_indicateurs), "m1_demandes_en_ligne"),
        user=AGENT_CAF,
        query=lambda: f"annee={annee_en_cours()}",
    ),
    Page("indicateurs:calcul", args=(premier_pour(AGENT_CAF, _calculs),), user=AGENT_CAF),
    Page(
        "indicateurs:departement",
        args=(premier_pour(AGENT_CAF, _departements_des_indicateurs),),
        user=AGENT_CAF,
        query=lambda: f"annee={annee_en_cours()}",
    ),
]

PAGES: list[Page] = [
    Page("portail:accueil"),
    Page("relais:annuaire"),
    Page("relais:fiche", args=(premier_relais,), note="premier relais"),
    Page("relais:fiche", args=(relais_au_plus_grand_territoire,), note="plus grand territoire"),
    Page("portail:healthz"),
    Page("assmats:recherche", query=recherche_montpellier, note="Montpellier et voisines"),
    Page("assmats:recherche", query=recherche_montpellier_bebe_samedi, note="moins de 3 ans, samedi"),
    Page("assmats:recherche", query=lambda: recherche_montpellier() + "&page=3", note="page 3"),
    Page("assmats:tableau", user=ASSMAT),
    *PAGES_DU_PERSONNEL,
]

# The page served by gunicorn for the throughput comparison with bench/minimal_urls.py.
THROUGHPUT_PAGE = Page("relais:annuaire")
