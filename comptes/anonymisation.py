"""Anonymisation of a user account (GDPR erasure). The other apps blank their own records; this module
empties the account itself.

The `User` row is kept: requests, conventions, signatures and history rows point to it (several with
`PROTECT`), and the counts the indicators need go through those rows. Emptied, it identifies nobody.
"""

from datetime import date, datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db import transaction

from comptes.models import User

# What a required text field holds once blanked; optional ones become "".
MASQUE = "[anonymisé]"

# `.invalid` is reserved (RFC 2606): no e-mail can ever be delivered to it, and no one can sign up with it.
DOMAINE_ANONYME = "anonyme.invalid"


def email_anonyme(user_id: int) -> str:
    return f"compte-supprime-{user_id}@{DOMAINE_ANONYME}"


def premier_du_mois(jour: date) -> date:
    """An exact birth date becomes its month: enough for age bands, not enough to single a child out."""
    return jour.replace(day=1)


def _supprimer_sessions(user_id: int, maintenant: datetime) -> int:
    """Database sessions carry the user id only inside their encoded data: decode the live ones."""
    a_supprimer = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=maintenant).order_by("pk").iterator()
        if session.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    Session.objects.filter(pk__in=a_supprimer).delete()
    return len(a_supprimer)


@transaction.atomic
def anonymiser_utilisateur(*, user_id: int, maintenant: datetime) -> bool:
    """Empties an account for good. Returns False when it was already anonymised (nothing done).

    Blanked: e-mail (replaced by a unique address on a reserved, undeliverable domain, which frees the
    real one for a new sign-up), first and last names, phone; the password becomes unusable and the
    account inactive. Deleted: allauth e-mail addresses (and their confirmations), second-factor
    authenticators, live sessions, django-axes lockout counters keyed on the old e-mail (a stale lockout
    would block whoever signs up with it next).
    Kept: the row and its id (foreign keys of history, requests, conventions point to it), the role
    (counts by role), `date_joined`, `last_login`. Not touched: the audit trail (append-only by trigger)
    and django-axes' access logs, which are security logs with their own retention.
    """
    user = User.objects.select_for_update().get(pk=user_id)
    if user.anonymise_le is not None:
        return False
    ancien_email = user.email
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    AccessAttempt.objects.filter(username__iexact=ancien_email).delete()
    _supprimer_sessions(user.pk, maintenant)
    user.email = email_anonyme(user.pk)
    user.first_name = user.last_name = user.telephone = ""
    user.set_unusable_password()
    user.is_active = False
    user.anonymise_le = maintenant
    user.save(update_fields=["email", "first_name", "last_name", "telephone", "password", "is_active", "anonymise_le"])
    return True
