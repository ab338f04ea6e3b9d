"""The cache backend (comptes.cache.RedisCache) against the real Redis: one redis-py client serves every call,
and it survives its connection being dropped."""

import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache, caches

from comptes.cache import RedisCache


def test_le_cache_du_portail_est_le_notre():
    assert isinstance(caches["default"], RedisCache)


def test_chaque_appel_passe_par_le_meme_client_redis():
    cle = f"test-client-partage-{uuid.uuid4()}"

    cache.set(cle, "une valeur", 30)

    assert cache.get(cle) == "une valeur"
    assert cache._cache.get_client(write=True) is cache._cache.get_client()


def test_une_connexion_coupee_par_redis_est_remplacee_au_prochain_appel():
    cle = f"test-reconnexion-{uuid.uuid4()}"
    cache.set(cle, "avant", 30)
    client = cache._cache.get_client()
    identifiant = client.client_id()

    with redis.Redis.from_url(settings.REDIS_URL) as administrateur:
        assert administrateur.client_kill_filter(_id=identifiant) == 1

    assert cache.get(cle) == "avant"
    assert cache._cache.get_client() is client
    assert client.client_id() != identifiant


def test_un_compteur_augmente_et_garde_son_expiration():
    cle = f"test-compteur-{uuid.uuid4()}"
    cache.set(cle, 1, 30)

    assert cache.incr(cle) == 2
    assert cache.incr(cle, 3) == 5

    assert cache.get(cle) == 5
    assert 0 < cache._cache.get_client().ttl(cache.make_key(cle)) <= 30


def test_un_compteur_absent_n_est_pas_cree_par_incr():
    cle = f"test-compteur-absent-{uuid.uuid4()}"

    with pytest.raises(ValueError, match="not found"):
        cache.incr(cle)

    assert cache.get(cle) is None


def test_sans_redis_le_cache_est_vide_et_ne_garde_rien(settings, caplog):
    settings.CACHES = {"default": {"BACKEND": "comptes.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    arrete = caches["default"]

    arrete.set("cle", "valeur", 30)

    assert arrete.get("cle", "absente") == "absente"
    assert arrete.get_many(["cle", "autre"]) == {}
    assert arrete.add("compteur", 1, 30) is True
    with pytest.raises(ValueError, match="not found"):
        arrete.incr("compteur")
    assert arrete.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert "Redis unavailable, cache set not done" in caplog.text
