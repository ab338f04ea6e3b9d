from django.db.models import Count, Prefetch, QuerySet

from relais.models import Commune, CommuneDuTerritoire, Departement, MembreRelais, Relais


def list_relais_publics() -> QuerySet[Relais]:
    """The directory families see: every relais with its territory size."""
    return (
        Relais.objects.select_related("commune_siege", "departement")
        .annotate(nb_communes=Count("territoire"))
        .order_by("departement__code", "nom")
    )


def get_relais_de_la_commune(commune: Commune) -> Relais | None:
    territoire = CommuneDuTerritoire.objects.select_related("relais").filter(commune=commune).first()
    return territoire.relais if territoire else None


def list_communes_du_territoire(relais: Relais) -> QuerySet[Commune]:
    return Commune.objects.filter(territoire__relais=relais).select_related("epci").order_by("nom", "code_insee")


def list_relais_avec_equipe(relais: QuerySet[Relais]) -> QuerySet[Relais]:
    equipe = MembreRelais.objects.select_related("user").order_by("user__last_name", "user__first_name")
    return (
        relais.select_related("commune_siege", "departement")
        .annotate(nb_communes=Count("territoire", distinct=True))
        .prefetch_related(Prefetch("membres", queryset=equipe))
        .order_by("nom")
    )


def list_departements_de_l_agent(user) -> QuerySet[Departement]:
    return Departement.objects.filter(agents_caf__user=user).order_by("code")
