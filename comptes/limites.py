"""Rate limits on our own forms (django-ratelimit): per IP and per account, rates from settings.

allauth limits its own views (sign-up, login, password reset) through `ACCOUNT_RATE_LIMITS`;
both answer with `portail.views.page_429`, the French « Trop de tentatives » page.
"""

from collections.abc import Callable

from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.decorators import ratelimit


def _taux(nom: str, cle: str) -> Callable:
    # Read at each request, so that a test can lower the rate with override_settings.
    return lambda group, request: settings.GUICHET_RATE_LIMITS[nom][cle]


def limiter(nom: str, *, method=ALL) -> Callable:
    """At most `GUICHET_RATE_LIMITS[nom]["ip"]` requests per IP and `["compte"]` per account (IP when anonymous).

    Place it under `role_required`/`public`, so that visitors sent to the login page are not counted.
    """

    def decorator(view):
        par_compte = ratelimit(group=f"{nom}:compte", key="user_or_ip", rate=_taux(nom, "compte"), method=method)
        par_ip = ratelimit(group=f"{nom}:ip", key="ip", rate=_taux(nom, "ip"), method=method)
        return par_ip(par_compte(view))

    return decorator
