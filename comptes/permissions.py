"""Who may open a view: every view names the roles it serves with `role_required`."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from comptes.models import Role


def role_required(*roles: Role) -> Callable:
    """Logged-in users of the given roles only; others get a 403 (anonymous users are sent to log in)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied("Cette page n'est pas accessible avec votre rôle.")
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator


def public(view):
    """Marks a view that anyone, logged in or not, may open."""
    view.allowed_roles = None
    return view
