"""The public search's content, cached per criteria and minute (`RECHERCHE_CACHE_SECONDES`).

The search is the portal's most requested public page, and what it shows is the same for every visitor who asks
the same criteria: it holds no session, no CSRF token (a GET form) and nothing of the visitor. The offer changes
rarely against the searches it serves. Two bounds on what a family may read late:

- the writes a childminder or a relais makes on what the search shows (her file and consent, her availability,
  her children in care, her agrément, a structure and its places, her anonymisation) drop every cached page at
  their commit (`oublier`): a childminder who withdraws her consent is gone from the next search;
- the minute in the key bounds the rest: the day's validity of an agrément, a tiers payant convention's derived
  places, the admin's edits, a territory changed.
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from comptes import cache

GENERATION = "assmats:recherche:generation"
# The GET parameters the search reads: any other one gives the same page, so it is not in the key.
PARAMETRES = frozenset({"commune", "code_postal", "voisines", "tranche", "debut", "atypiques", "page"})


def cle(parametres: QueryDict, maintenant: datetime) -> str | None:
    """The cache key of the search's content for these GET parameters at this minute, None when the cache is off.
    The parameters are sorted: the same criteria in another order are the same page."""
    if not settings.RECHERCHE_CACHE_SECONDES:
        return None
    lus = sorted((nom, valeur) for nom, valeurs in parametres.lists() if nom in PARAMETRES for valeur in valeurs)
    empreinte = hashlib.sha256(urlencode(lus).encode()).hexdigest()
    return f"recherche:{timezone.localtime(maintenant):%Y%m%d%H%M}:{empreinte}"


@dataclass(frozen=True)
class Lu:
    generation: int
    contenu: str | None


def lire(cle: str | None) -> Lu:
    """The content kept under `cle` if it was kept under the current generation, and that generation: the one a
    content computed now is kept under (read before the offer, so that a write committed meanwhile drops it).
    The generation and the content are read in one round trip: the search's hits are mostly round trips."""
    if cle is None:
        return Lu(generation=0, contenu=None)
    valeurs = django_cache.get_many([GENERATION, cle])
    generation = valeurs.get(GENERATION, 0)
    garde = valeurs.get(cle)
    return Lu(generation=generation, contenu=garde[1] if garde and garde[0] == generation else None)


def garder(cle: str | None, lu: Lu, contenu: str) -> None:
    cache.ecrire(cle, (lu.generation, contenu), settings.RECHERCHE_CACHE_SECONDES)


def oublier() -> None:
    """Every cached search page is dropped once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: cache.ecrire(GENERATION, time.time_ns(), None))
