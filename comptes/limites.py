"""Rate limits on our own forms (django-ratelimit): per IP and per account, rates from settings.

allauth limits its own views (sign-up, login, password reset) through `ACCOUNT_RATE_LIMITS`;
both answer with `portail.views.page_429`, the French « Trop de tentatives » page.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

# Per IP first, then per account (IP when anonymous): an attempt refused per IP is not counted for the account.
PORTEES = (("ip", "ip"), ("compte", "user_or_ip"))


def _taux(nom: str, cle: str) -> Callable:
    # Read at each request, so that a test can lower the rate with override_settings.
    return lambda group, request: settings.GUICHET_RATE_LIMITS[nom][cle]


def limiter(nom: str, *, method=ALL) -> Callable:
    """At most `GUICHET_RATE_LIMITS[nom]["ip"]` requests per IP and `["compte"]` per account (IP when anonymous).

    Place it under `role_required`/`public`, so that visitors sent to the login page are not counted.
    The counts live in Redis: with Redis down they are not kept and the form still answers (the cache backend,
    `comptes.cache`, acts as an empty cache then).
    """

    def decorator(view):
        @wraps(view)
        def vue_limitee(request, *args, **kwargs):
            if _au_dela_de_la_limite(request, nom, method):
                raise Ratelimited
            return view(request, *args, **kwargs)

        return vue_limitee

    return decorator


def _au_dela_de_la_limite(request, nom: str, method) -> bool:
    for portee, cle in PORTEES:
        groupe = f"{nom}:{portee}"
        if is_ratelimited(request, group=groupe, key=cle, rate=_taux(nom, portee), method=method, increment=True):
            request.limited = True
            return True
    return False
