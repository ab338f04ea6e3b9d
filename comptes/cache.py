"""Django's cache read and written so that Redis down costs a cache miss, never the page: the pages that cache
their content (the queue, the public search) were served from the database before they had a cache."""

from contextlib import suppress

from django.core.cache import cache
from redis.exceptions import RedisError


def lire(cle: str | None):
    """The value under `cle`, None when there is none, when `cle` is None (cache off) or when Redis is down."""
    if cle is None:
        return None
    try:
        return cache.get(cle)
    except RedisError:
        return None


def ecrire(cle: str | None, valeur, secondes: int | None) -> None:
    """Store `valeur` for `secondes` (None: until replaced); nothing when `cle` is None or Redis is down."""
    if cle is not None:
        with suppress(RedisError):
            cache.set(cle, valeur, secondes)
