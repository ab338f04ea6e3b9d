from allauth.account.models import EmailAddress
from django.db import transaction

from comptes.models import STAFF_ROLES, Role, User


class RoleInvalide(ValueError):
    pass


@transaction.atomic
def creer_compte_personnel(*, email: str, role: Role, first_name: str = "", last_name: str = "") -> User:
    """An admin creates a staff account; the person sets their password through the reset link."""
    if role not in STAFF_ROLES:
        raise RoleInvalide("Seuls les comptes du relais, de la CAF et d'administration sont créés ainsi.")
    user = User.objects.create_user(
        email=email, first_name=first_name, last_name=last_name, role=role, is_staff=role == Role.ADMIN
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    marquer_email_verifie(user=user)
    return user


def marquer_email_verifie(*, user: User) -> None:
    """The admin vouches for staff e-mails: no verification round-trip for them."""
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
