"""Writes on relais, territories and staff."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from comptes.models import Role, User
from comptes.services import souhaiter_la_bienvenue
from relais.models import AgentCaf, Commune, CommuneDuTerritoire, Departement, Epci, MembreRelais, Relais


class AffectationInvalide(ValueError):
    pass


def ajouter_membre(*, relais: Relais, user: User, fonction: str = "Animatrice") -> MembreRelais:
    if user.role != Role.ANIMATEUR:
        raise AffectationInvalide("Seul un compte « animateur » peut être membre de l'équipe d'un relais.")
    membre, cree = MembreRelais.objects.get_or_create(relais=relais, user=user, defaults={"fonction": fonction})
    if cree:
        souhaiter_la_bienvenue(user=user)
    return membre


def rattacher_agent_caf(*, departement: Departement, user: User) -> AgentCaf:
    if user.role != Role.AGENT_CAF:
        raise AffectationInvalide("Seul un compte « agent CAF » peut être rattaché à un département.")
    agent, cree = AgentCaf.objects.get_or_create(departement=departement, user=user)
    if cree:
        souhaiter_la_bienvenue(user=user)
    return agent


@transaction.atomic
def definir_territoire(*, relais: Relais, communes: Iterable[Commune]) -> None:
    """Give the relais exactly these communes; a commune served by another relais is refused."""
    communes = list(communes)
    deja_servies = (
        CommuneDuTerritoire.objects.filter(commune__in=communes).exclude(relais=relais).select_related("commune")
    )
    if conflits := sorted(t.commune.nom for t in deja_servies):
        raise AffectationInvalide("Communes déjà desservies par un autre relais : " + ", ".join(conflits) + ".")
    CommuneDuTerritoire.objects.filter(relais=relais).exclude(commune__in=communes).delete()
    CommuneDuTerritoire.objects.bulk_create(
        [CommuneDuTerritoire(relais=relais, commune=commune) for commune in communes], ignore_conflicts=True
    )


@dataclass(frozen=True)
class CommuneImportee:
    code_insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    population: int | None
    epci_code: str | None
    epci_nom: str | None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class BilanImport:
    creees: int
    mises_a_jour: int


@transaction.atomic
def importer_communes(*, departement: Departement, communes: Iterable[CommuneImportee]) -> BilanImport:
    """Upsert communes by INSEE code; coordinates already known are kept when the source has none."""
    communes = list(communes)
    epcis = {}
    for commune in communes:
        if commune.epci_code and commune.epci_code not in epcis:
            epci, _ = Epci.objects.update_or_create(code=commune.epci_code, defaults={"nom": commune.epci_nom or ""})
            epcis[commune.epci_code] = epci
    existantes = {c.code_insee: c for c in Commune.objects.filter(code_insee__in=[c.code_insee for c in communes])}
    a_creer, a_mettre_a_jour = [], []
    for source in communes:
        commune = existantes.get(source.code_insee) or Commune(code_insee=source.code_insee)
        commune.nom = source.nom
        commune.departement = departement
        commune.codes_postaux = list(source.codes_postaux)
        commune.population = source.population
        commune.epci = epcis.get(source.epci_code) if source.epci_code else None
        if source.latitude is not None and source.longitude is not None:
            commune.latitude, commune.longitude = source.latitude, source.longitude
        (a_mettre_a_jour if commune.pk else a_creer).append(commune)
    Commune.objects.bulk_create(a_creer, batch_size=1000)
    Commune.objects.bulk_update(
        a_mettre_a_jour,
        ["nom", "departement", "codes_postaux", "population", "epci", "latitude", "longitude"],
        batch_size=1000,
    )
    return BilanImport(creees=len(a_creer), mises_a_jour=len(a_mettre_a_jour))
