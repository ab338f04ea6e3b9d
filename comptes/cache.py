"""The cache backend (`RedisCache`, settings.CACHES), and reads and writes of it that take `None` for « the cache is
off ».

With Redis down, the backend acts as an empty cache that keeps nothing: a read is a miss, a write is dropped, and
a warning is logged. Every user of the cache gets that, ours and the libraries': the queue and the search are
served from the database, our rate limits and allauth's (login, sign-up, password reset) let the attempt through
uncounted. django-ratelimit and allauth would otherwise answer a 500, or refuse every login, until Redis came
back; the accounts stay protected by django-axes' lockout, kept in PostgreSQL."""

import logging
from functools import wraps

from django.core.cache import cache
from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


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


def _sans_redis(repli):
    """The cache operation, or `repli(*its arguments)` when Redis does not answer."""

    def decorateur(operation):
        @wraps(operation)
        def enveloppe(self, *args, **kwargs):
            try:
                return operation(self, *args, **kwargs)
            except RedisError as exc:
                logger.warning("Redis unavailable, cache %s not done: %s", operation.__name__, exc)
                return repli(*args, **kwargs)

        return enveloppe

    return decorateur


def _absente(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found.")


def _pose(*args, **kwargs) -> bool:
    # « Stored »: a caller that adds a key to count from it or to hold a lock goes on as if it were alone (allauth
    # takes a lock before counting a login, and refuses the login when it cannot).
    return True


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache with one redis-py client per pool (above), that acts as an empty cache keeping nothing
    while Redis does not answer (module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientRedisPartage

    add = _sans_redis(_pose)(django_redis.RedisCache.add)
    get = _sans_redis(lambda key, default=None, version=None: default)(django_redis.RedisCache.get)
    set = _sans_redis(lambda *args, **kwargs: None)(django_redis.RedisCache.set)
    touch = _sans_redis(lambda *args, **kwargs: False)(django_redis.RedisCache.touch)
    delete = _sans_redis(lambda *args, **kwargs: False)(django_redis.RedisCache.delete)
    get_many = _sans_redis(lambda *args, **kwargs: {})(django_redis.RedisCache.get_many)
    has_key = _sans_redis(lambda *args, **kwargs: False)(django_redis.RedisCache.has_key)
    incr = _sans_redis(_absente)(django_redis.RedisCache.incr)
    set_many = _sans_redis(lambda data, *args, **kwargs: list(data))(django_redis.RedisCache.set_many)
    delete_many = _sans_redis(lambda *args, **kwargs: None)(django_redis.RedisCache.delete_many)
    clear = _sans_redis(lambda *args, **kwargs: False)(django_redis.RedisCache.clear)


def lire(cle: str | None):
    """The value under `cle`, None when there is none or when `cle` is None (cache off)."""
    return None if cle is None else cache.get(cle)


def ecrire(cle: str | None, valeur, secondes: int | None) -> None:
    """Store `valeur` for `secondes` (None: until replaced); nothing when `cle` is None."""
    if cle is not None:
        cache.set(cle, valeur, secondes)
