from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower


class Role(models.TextChoices):
    PARENT = "parent", "Parent"
    ASSMAT = "assmat", "Assistant·e maternel·le"
    ANIMATEUR = "animateur", "Animateur·rice de relais"
    AGENT_CAF = "agent_caf", "Agent de la CAF"
    PARTENAIRE = "partenaire", "Partenaire (France Travail, service social…)"
    ADMIN = "admin", "Administrateur·rice"


# Partners (France Travail, social services) are staff-like: an admin creates their account, they reach
# families' names and contacts through their referrals, so they get the staff's second factor and idle timeout.
STAFF_ROLES = frozenset({Role.ANIMATEUR, Role.AGENT_CAF, Role.PARTENAIRE, Role.ADMIN})
# Roles anyone may choose when signing up; staff accounts are created by admins.
SELF_SIGNUP_ROLES = (Role.PARENT, Role.ASSMAT)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.PARENT)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    # Set when the person deleted their account: the row stays (history points to it), emptied.
    anonymise_le = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    # A staff account's welcome e-mail goes once, whatever saves follow.
    bienvenue_envoyee_le = models.DateTimeField(
        "message de bienvenue envoyé le", null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_insensible_casse",
                violation_error_message="Un compte existe déjà avec cette adresse e-mail.",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="user_role_connu",
                violation_error_message="Ce rôle n'existe pas.",
            ),
            # Only admins reach the Django admin site.
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(role=Role.ADMIN),
                name="user_is_staff_seulement_admin",
                violation_error_message="Seul un administrateur peut accéder à l'administration du site.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_parent(self) -> bool:
        return self.role == Role.PARENT

    @property
    def is_assmat(self) -> bool:
        return self.role == Role.ASSMAT

    @property
    def is_animateur(self) -> bool:
        return self.role == Role.ANIMATEUR

    @property
    def is_agent_caf(self) -> bool:
        return self.role == Role.AGENT_CAF

    @property
    def is_partenaire(self) -> bool:
        return self.role == Role.PARTENAIRE

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN
