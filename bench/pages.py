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


def annee_en_cours() -> int:
    from django.utils import timezone

    return timezone.localdate().year


PAGES: list[Page] = [
    Page("portail:accueil"),
    Page("relais:annuaire"),
    Page("relais:fiche", args=(premier_relais,), note="premier relais"),
    Page("relais:fiche", args=(relais_au_plus_grand_territoire,), note="plus grand territoire"),
    Page("portail:espace_animateur", user=ANIMATEUR),
    Page("portail:espace_caf", user=AGENT_CAF),
    Page("portail:healthz"),
    Page("assmats:recherche", query=recherche_montpellier, note="Montpellier et voisines"),
    Page("assmats:recherche", query=recherche_montpellier_bebe_samedi, note="moins de 3 ans, samedi"),
    Page("assmats:recherche", query=lambda: recherche_montpellier() + "&page=3", note="page 3"),
    Page("assmats:liste", user=ANIMATEUR),
    Page("assmats:tableau", user=ASSMAT),
    Page("demandes:file", user=ANIMATEUR, note="file d'attente du premier relais"),
    Page("demandes:file", user=ANIMATEUR, query=lambda: "page=20", note="file d'attente, page 20"),
    Page("demandes:detail", args=(demande_ouverte_du_premier_relais,), user=ANIMATEUR, note="plus ancienne ouverte"),
    Page(
        "demandes:mise_en_relation",
        args=(demande_ouverte_du_premier_relais,),
        user=ANIMATEUR,
        note="assmats du premier relais",
    ),
    Page("indicateurs:tableau", user=AGENT_CAF, query=lambda: f"annee={annee_en_cours()}", note="année en cours"),
]

# The page served by gunicorn for the throughput comparison with bench/minimal_urls.py.
THROUGHPUT_PAGE = Page("relais:annuaire")
