"""Small hand-built data for the indicator tests: dates in 2024 (N-1) and 2025 (N), Paris time."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from demandes.models import HistoriqueDemande, RendezVous
from tests.factories import UserFactory

PARIS = ZoneInfo("Europe/Paris")
N, N_1 = 2025, 2024


def dt(annee: int, mois: int, jour: int, heure: int = 10) -> datetime:
    return datetime(annee, mois, jour, heure, tzinfo=PARIS)


def action(demande, vers: str, le: datetime, de: str = "prise_en_charge") -> HistoriqueDemande:
    return HistoriqueDemande.objects.create(demande=demande, de=de, vers=vers, created_at=le)


def rendez_vous(demande, cree_le: datetime, debut: datetime | None = None) -> RendezVous:
    """An appointment as the relais left it: held once its time has passed, still planned before."""
    debut = debut or cree_le
    issue = {"statut": RendezVous.Statut.REALISE, "issue_le": debut} if debut <= timezone.now() else {}
    return RendezVous.objects.create(
        demande=demande,
        debut=debut,
        modalite=RendezVous.Modalite.TELEPHONE,
        auteur=UserFactory(animateur=True),
        created_at=cree_le,
        **issue,
    )


OUVERT_AVANT = date(2020, 1, 1)
