"""Middleware tied to who is logged in."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
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


# The idle deadline is pushed back at most once a minute: a session write per request would cost
# three queries on every staff page for a precision nobody needs.
PROLONGER_AU_PLUS_TOUTES_LES = 60
DERNIERE_ACTIVITE = "staff_derniere_activite"


def prolonger_session_staff(session) -> None:
    session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
    session[DERNIERE_ACTIVITE] = int(timezone.now().timestamp())


def staff_idle_timeout(get_response):
    """Staff sessions (animateur, agent CAF, admin) end after STAFF_SESSION_IDLE_SECONDS without a request.

    Each refresh saves the session with a new deadline, so the clock counts idle time, not time since
    login. Other roles keep allauth's session, ended when the browser closes.
    """

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role in STAFF_ROLES:
            session = request.session
            depuis = timezone.now().timestamp() - session.get(DERNIERE_ACTIVITE, 0)
            # allauth sets a browser-close expiry at login: replace it at once.
            if (
                session.get_expiry_age() != settings.STAFF_SESSION_IDLE_SECONDS
                or depuis >= PROLONGER_AU_PLUS_TOUTES_LES
            ):
                prolonger_session_staff(session)
        return response

    return middleware


# Pages a staff member without a second factor may still open: allauth's (logout, 2FA setup,
# reauthentication) and static files.
SANS_SECOND_FACTEUR = ("/comptes/", "/static/", "/healthz")


def staff_mfa_required(get_response):
    """With STAFF_MFA_REQUIRED, staff without TOTP are sent to set it up before any other page."""

    def middleware(request):
        user = getattr(request, "user", None)
        if (
            settings.STAFF_MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and user.role in STAFF_ROLES
            and not request.path.startswith(SANS_SECOND_FACTEUR)
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
        ):
            messages.info(
                request,
                "Votre compte donne accès aux dossiers des familles : activez d'abord la double "
                "authentification avec une application d'authentification (TOTP).",
            )
            return redirect("mfa_activate_totp")
        return get_response(request)

    return middleware
