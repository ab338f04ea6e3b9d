from allauth.account.models import EmailAddress
from django.db import transaction

from comptes import tasks
from comptes.models import STAFF_ROLES, Role, User


class RoleInvalide(ValueError):
    pass


@transaction.atomic
def creer_compte_personnel(*, email: str, role: Role, first_name: str = "", last_name: str = "") -> User:
    """An admin creates a staff account; the person sets their password through the reset link."""
    if role not in STAFF_ROLES:
        raise RoleInvalide(
            "Seuls les comptes du relais, de la CAF, des partenaires et d'administration sont créés ainsi."
        )
    user = User.objects.create_user(
        email=email, first_name=first_name, last_name=last_name, role=role, is_staff=role == Role.ADMIN
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    marquer_email_verifie(user=user)
    if role == Role.ADMIN:
        souhaiter_la_bienvenue(user=user)
    return user


def souhaiter_la_bienvenue(*, user: User) -> None:
    """Once the staff account can work (an admin at once; the relais' team and CAF agents once attached, so that the
    e-mail names their relais or CAF): the welcome e-mail, after commit, sent once whatever saves follow. Only to
    a person who has no password yet (not to the demo's accounts, nor to one an admin gave a password: the admin
    action sends it on demand)."""
    if user.role in STAFF_ROLES and user.bienvenue_envoyee_le is None and not user.has_usable_password():
        transaction.on_commit(lambda: tasks.envoyer_bienvenue.delay(user.pk))


def marquer_email_verifie(*, user: User) -> None:
    """The admin vouches for staff e-mails: no verification round-trip for them."""
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
