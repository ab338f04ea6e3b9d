"""Reads for the role spaces: what each home page counts, from the apps' selectors."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from demandes import selectors as demandes_selectors
from demandes.permissions import demandes_for_user
from indicateurs.calculs import urgences_24h


@dataclass(frozen=True)
class UrgencesSous24h:
    annee: int
    traitees: int
    total: int

    @property
    def pourcentage(self) -> int | None:
        return round(100 * self.traitees / self.total) if self.total else None


def urgences_traitees_sous_24h(relais_ids: list[int], annee: int) -> UrgencesSous24h:
    """The relais' urgent needs of the year answered within 24 h, by the CAF indicator's own definition (so that
    the animatrice's figure and the CAF's are one figure)."""
    resultats = urgences_24h(relais_ids, annee).values()
    return UrgencesSous24h(
        annee=annee,
        traitees=sum(r.numerateur for r in resultats),
        total=sum(r.denominateur or 0 for r in resultats),
    )


def accueil_animateur(user, relais_ids: list[int], maintenant: datetime) -> dict:
    return {
        "compteurs": demandes_selectors.compteurs_de_la_file(demandes_for_user(user), user, maintenant),
        "urgences_24h": urgences_traitees_sous_24h(relais_ids, timezone.localtime(maintenant).year),
    }
