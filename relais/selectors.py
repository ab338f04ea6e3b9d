import math

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from comptes.texte import OrdreAlphabetique
from relais.models import Commune, CommuneDuTerritoire, Departement, MembreRelais, Relais

# Communes as a French reader looks for them in a list: Béziers before Boujan.
ORDRE_DES_COMMUNES = (OrdreAlphabetique("nom"), "nom", "code_insee")


def list_relais_publics() -> QuerySet[Relais]:
    """The directory families see: every relais with its territory size and its communes."""
    communes = Commune.objects.order_by(*ORDRE_DES_COMMUNES)
    return (
        Relais.objects.select_related("commune_siege", "departement")
        .annotate(nb_communes=Count("territoire"))
        .prefetch_related(Prefetch("communes", queryset=communes))
        .order_by("departement__code", OrdreAlphabetique("nom"), "nom")
    )


def get_relais_de_la_commune(commune: Commune) -> Relais | None:
    territoire = CommuneDuTerritoire.objects.select_related("relais").filter(commune=commune).first()
    return territoire.relais if territoire else None


def list_communes_du_territoire(relais: Relais) -> QuerySet[Commune]:
    return Commune.objects.filter(territoire__relais=relais).select_related("epci").order_by(*ORDRE_DES_COMMUNES)


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


def distance_km(a: Commune, b: Commune) -> float | None:
    """Great-circle distance between two communes' coordinates, None when one is unknown."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (a.latitude, a.longitude, b.latitude, b.longitude)))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def communes_voisines(commune: Commune, rayon_km: float) -> dict[int, float | None]:
    """Commune ids near `commune` with their distance in km: by coordinates within the radius when
    they are known, otherwise the communes of the same EPCI (distance unknown). Always includes itself."""
    voisines: dict[int, float | None] = {commune.pk: 0.0}
    if commune.latitude is not None:
        candidates = Commune.objects.filter(departement_id=commune.departement_id, latitude__isnull=False)
        for autre in candidates.only("pk", "latitude", "longitude").order_by("pk"):
            distance = distance_km(commune, autre)
            if distance is not None and distance <= rayon_km:
                voisines[autre.pk] = round(distance, 1)
    elif commune.epci_id:
        for pk in Commune.objects.filter(epci_id=commune.epci_id).order_by("pk").values_list("pk", flat=True):
            voisines.setdefault(pk, None)
    return voisines


def list_communes_desservies() -> QuerySet[Commune]:
    """Communes served by a relais, for the public forms' commune choice."""
    return Commune.objects.filter(territoire__isnull=False).order_by(*ORDRE_DES_COMMUNES)


def communes_desservies_du_code_postal(code_postal: str) -> QuerySet[Commune]:
    """The communes a relais of the portal serves under a postcode; none means the family is outside the portal."""
    return list_communes_desservies().filter(codes_postaux__contains=[code_postal])


def get_relais_public(pk: int) -> Relais:
    """A relais' public card: every relais is public (404 when the id names none)."""
    return get_object_or_404(Relais.objects.select_related("commune_siege", "departement"), pk=pk)
