"""Django's cache read and written so that Redis down costs a cache miss, never the page: the pages that cache
their content (the queue, the public search) were served from the database before they had a cache. And the
cache backend itself (`RedisCache`, settings.CACHES)."""

from contextlib import suppress

from django.core.cache import cache
from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError


class ClientRedisPartage(django_redis.RedisCacheClient):
    """Django builds a redis-py client for each cache call, and redis-py rebuilds its table of ~170 response
    callbacks in each one (redis/redis-py#3624): a third of a cached search's CPU, its rate limits and its
    cache making several calls a request. A client holds nothing but its pool, which hands each command a
    connection of its own and reconnects after Redis comes back: one client per pool serves every call, from
    any thread."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._incr = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    def incr(self, key, delta):
        """Django's asks EXISTS, then INCRBY: two round trips for each rate-limit count (two counts on each
        search), and a key expiring in between comes back from INCRBY without its expiry, a count that would
        never lapse. One script does both at once."""
        client = self.get_client(key, write=True)
        script = self._incr.get(client)
        if script is None:
            script = self._incr[client] = client.register_script(_INCR_SI_PRESENTE)
        valeur = script(keys=[key], args=[delta])
        if valeur is None:
            raise ValueError(f"Key '{key}' not found.")
        return valeur


_INCR_SI_PRESENTE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache with one redis-py client per pool (above)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientRedisPartage


def lire(cle: str | None):
    """The value under `cle`, None when there is none, when `cle` is None (cache off) or when Redis is down."""
    if cle is None:
        return None
    try:
        return cache.get(cle)
    except RedisError:
        return None


def lire_plusieurs(cles: list[str]) -> dict:
    """The values found under `cles`, in one round trip; {} when Redis is down."""
    try:
        return cache.get_many(cles)
    except RedisError:
        return {}


def ecrire(cle: str | None, valeur, secondes: int | None) -> None:
    """Store `valeur` for `secondes` (None: until replaced); nothing when `cle` is None or Redis is down."""
    if cle is not None:
        with suppress(RedisError):
            cache.set(cle, valeur, secondes)
