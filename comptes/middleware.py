"""Middleware tied to who is logged in."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from comptes.models import STAFF_ROLES


def no_store_when_logged_in(get_response):
    """Every page a logged-in person sees is personal (a family's request, a childminder's file,
    a convention): no browser or proxy may keep a copy, so the back button on a shared computer
    shows nothing after logout."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware


def staff_idle_timeout(get_response):
    """Staff sessions (animateur, agent CAF, admin) end after STAFF_SESSION_IDLE_SECONDS without a request.

    Setting the expiry on every response saves the session with a fresh deadline, so the clock counts
    idle time, not time since login. Other roles keep allauth's session, ended when the browser closes.
    """

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role in STAFF_ROLES:
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return response

    return middleware
