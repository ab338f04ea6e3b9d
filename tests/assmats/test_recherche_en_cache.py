"""The public search's content is cached per criteria and minute: the same search is served without reading the
offer again, and what a childminder changes on what it shows drops it at once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assmats import cache_de_la_recherche, services
from assmats.anonymisation import anonymiser_assistant_maternel
from tests.assmats.factories import assmat_complete
from tests.factories import RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_de_la_recherche_actif(settings):
    settings.RECHERCHE_CACHE_SECONDES = 60


@pytest.fixture
def commune():
    return RelaisFactory(commune_siege__nom="Clapiers").commune_siege


def _chercher(client, parametres: str) -> tuple[str, list[str]]:
    """The page's HTML and the SQL it ran."""
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(f"{reverse('assmats:recherche')}?{parametres}")
    assert reponse.status_code == 200
    return reponse.content.decode(), [q["sql"] for q in requetes.captured_queries]


def _lit_l_offre(sql: list[str]) -> bool:
    return any('FROM "assmats_assistantmaternel"' in q for q in sql)


def test_la_meme_recherche_est_servie_sans_relire_l_offre(client, commune):
    assmat_complete(prenom="Sylvie", nom="Durand", commune=commune)
    _chercher(client, f"commune={commune.pk}&tranche=moins_3")

    # The same criteria in another order, and a parameter the search does not read: the same page.
    page, sql = _chercher(client, f"tranche=moins_3&utm_source=affiche&commune={commune.pk}")

    assert "Sylvie D." in page
    assert not _lit_l_offre(sql)


def test_les_liens_des_pages_ne_portent_que_les_criteres(client, commune):
    for _ in range(21):
        assmat_complete(commune=commune)

    page, _sql = _chercher(client, f"commune={commune.pk}&jeton=secret-de-quelqu-un")

    assert f"?commune={commune.pk}&amp;page=2" in page
    assert "secret-de-quelqu-un" not in page


def test_d_autres_criteres_relisent_l_offre(client, commune):
    assmat_complete(prenom="Sylvie", nom="Durand", commune=commune)
    _chercher(client, f"commune={commune.pk}")

    _page, sql = _chercher(client, f"commune={commune.pk}&tranche=plus_3")

    assert _lit_l_offre(sql)


def test_une_assmat_qui_retire_son_consentement_disparait_de_la_recherche_suivante(
    client, commune, django_capture_on_commit_callbacks
):
    assmat = assmat_complete(prenom="Nadia", commune=commune)
    assert "Nadia" in _chercher(client, f"commune={commune.pk}")[0]

    assmat.afficher_disponibilites = False
    with django_capture_on_commit_callbacks(execute=True):
        services.enregistrer_profil(assmat=assmat)

    page, _sql = _chercher(client, f"commune={commune.pk}")
    assert "Nadia" not in page
    assert "0 résultat" in page


def test_une_assmat_anonymisee_disparait_de_la_recherche_suivante(client, commune, django_capture_on_commit_callbacks):
    assmat = assmat_complete(prenom="Nadia", commune=commune)
    assert "Nadia" in _chercher(client, f"commune={commune.pk}")[0]

    with django_capture_on_commit_callbacks(execute=True):
        anonymiser_assistant_maternel(assistant_maternel_id=assmat.pk, maintenant=timezone.now(), retrait=True)

    assert "Nadia" not in _chercher(client, f"commune={commune.pk}")[0]


def test_une_recherche_en_erreur_n_est_pas_gardee(client, commune):
    parametres = f"commune={commune.pk}&debut=1999-01-01"

    page, _sql = _chercher(client, parametres)

    assert "Choisissez une date entre aujourd&#x27;hui et dans deux ans." in page
    assert cache.get(cache_de_la_recherche.cle(QueryDict(parametres), timezone.now())) is None


def test_la_minute_suivante_est_une_autre_page():
    parametres = QueryDict("commune=1")
    maintenant = datetime(2026, 12, 7, 10, 15, 30, tzinfo=UTC)

    assert cache_de_la_recherche.cle(parametres, maintenant) == cache_de_la_recherche.cle(
        parametres, maintenant + timedelta(seconds=20)
    )
    assert cache_de_la_recherche.cle(parametres, maintenant) != cache_de_la_recherche.cle(
        parametres, maintenant + timedelta(seconds=40)
    )


def test_le_visiteur_connecte_garde_son_menu_sur_une_recherche_en_cache(client, commune):
    assmat_complete(prenom="Sylvie", nom="Durand", commune=commune)
    _chercher(client, f"commune={commune.pk}")
    client.force_login(UserFactory(first_name="Léa"))

    page, sql = _chercher(client, f"commune={commune.pk}")

    assert not _lit_l_offre(sql)
    assert "Sylvie D." in page
    assert "Se déconnecter" in page


def test_sans_redis_la_recherche_s_affiche_depuis_la_base(client, commune, settings):
    assmat_complete(prenom="Sylvie", nom="Durand", commune=commune)
    settings.CACHES = {"default": {"BACKEND": "comptes.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}

    page, sql = _chercher(client, f"commune={commune.pk}")

    assert "Sylvie D." in page
    assert _lit_l_offre(sql)


def test_un_contenu_calcule_avant_une_modification_de_l_offre_n_est_pas_servi_apres(
    django_capture_on_commit_callbacks,
):
    cle = cache_de_la_recherche.cle(QueryDict("commune=1"), timezone.now())
    lu_avant = cache_de_la_recherche.lire(cle)
    # The offer changes while this search reads it: its content is kept under the generation read before.
    with django_capture_on_commit_callbacks(execute=True):
        cache_de_la_recherche.oublier()
    cache_de_la_recherche.garder(cle, lu_avant, "<p>Offre d'avant</p>")

    assert cache_de_la_recherche.lire(cle).contenu is None
