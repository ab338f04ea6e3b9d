from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from comptes.middleware import prolonger_session_staff
from comptes.models import STAFF_ROLES


@receiver(user_logged_in, dispatch_uid="comptes_session_staff")
def session_staff_des_la_connexion(sender, request, user, **kwargs):
    """The staff idle deadline starts at login, so the first page after it needs no session write."""
    if request is not None and hasattr(request, "session") and user.role in STAFF_ROLES:
        prolonger_session_staff(request.session)
