"""Guard-rails for every test: they make sloppy code fail here rather than in production."""

import inspect
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.template import engines

pytest_plugins = ["tests.navigateur"]

PROJECT_DIR = Path(settings.BASE_DIR)
OUR_TEMPLATE_DIRS = tuple(
    str(path)
    for path in [
        PROJECT_DIR / "templates",
        *(PROJECT_DIR / app / "templates" for app in ("comptes", "relais", "portail")),
    ]
)


class UnknownTemplateVariable(Exception):
    pass


class FailOnOurUnknownVariables(str):
    """`string_if_invalid` that raises when one of *our* templates prints an unknown variable.

    Third-party templates (admin, allauth, crispy) rely on missing variables rendering empty,
    so they are left alone; ours must not.
    """

    def __contains__(self, item):
        return item == "%s"

    def __mod__(self, variable):
        for frame_info in inspect.stack(context=0):
            node = frame_info.frame.f_locals.get("self")
            if frame_info.function == "render_annotated" and getattr(node, "origin", None) is not None:
                name = str(node.origin.name)
                if name.startswith(OUR_TEMPLATE_DIRS):
                    raise UnknownTemplateVariable(f"Unknown variable {variable!r} in {name}")
                return ""
        return ""


@pytest.fixture(autouse=True, scope="session")
def _unknown_template_variables_fail():
    engine = engines["django"].engine
    previous, engine.string_if_invalid = engine.string_if_invalid, FailOnOurUnknownVariables("")
    yield
    engine.string_if_invalid = previous


@pytest.fixture(autouse=True, scope="session")
def _unordered_querysets_are_shuffled():
    """Code that displays a queryset without order_by gets a random order, so tests catch it."""
    original = QuerySet._fetch_all

    def _fetch_all(self):
        query = self.query
        if (
            self._result_cache is None
            and not self.ordered
            and not query.is_sliced
            and not query.distinct
            and not query.combinator
        ):
            query.add_ordering("?")
        return original(self)

    QuerySet._fetch_all = _fetch_all
    yield
    QuerySet._fetch_all = original


def _vider_le_cache():
    # Not cache.clear(): FLUSHDB would also drop the Celery broker's queues and bindings, and the keys of
    # any other test run sharing this Redis. Only this run's keys (its KEY_PREFIX) go.
    client = cache._cache.get_client(write=True)
    cles = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if cles:
        client.delete(*cles)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache is a real Redis shared by all tests: each test starts from an empty one."""
    _vider_le_cache()
    yield
    _vider_le_cache()


@pytest.fixture(autouse=True)
def _les_e_mails_passent_par_la_file(settings):
    """Django's test setup swaps EMAIL_BACKEND for its in-memory one: ours is put back, so that every e-mail is
    written to the outbox as in production. The drain (`courriels.services.envoyer_en_attente`) sends through
    COURRIELS_BACKEND_REEL, in-memory in tests, where `django.core.mail.outbox` reads it."""
    settings.EMAIL_BACKEND = "courriels.backends.OutboxBackend"
