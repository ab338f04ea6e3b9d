from allauth.account.forms import ResetPasswordForm
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from comptes import emails
from comptes.models import STAFF_ROLES, Role, User
from comptes.services import marquer_email_verifie, souhaiter_la_bienvenue


class CreationUtilisateurForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "role", "first_name", "last_name")


class ModificationUtilisateurForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = CreationUtilisateurForm
    form = ModificationUtilisateurForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "last_login", "date_joined"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "telephone"]}),
        ("Rôle et accès", {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "role", "first_name", "last_name", "usable_password", "password1", "password2"],
            },
        ),
    ]
    actions = ["envoyer_lien_mot_de_passe"]

    def save_model(self, request, obj, form, change):
        # The admin site is for the admin role only (a database constraint says so too).
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)
        if not change and obj.role in STAFF_ROLES:
            marquer_email_verifie(user=obj)
            if obj.role == Role.ADMIN:
                souhaiter_la_bienvenue(user=obj)
            else:
                self.message_user(
                    request,
                    "Rattachez ce compte à son relais, à son département ou à son organisme partenaire : le message "
                    "de bienvenue, avec le lien pour choisir son mot de passe, part alors (si le compte n'a pas de "
                    "mot de passe ; sinon, envoyez-le avec l'action « Envoyer un lien pour choisir son mot de "
                    "passe »).",
                    messages.INFO,
                )

    @admin.action(description="Envoyer un lien pour choisir son mot de passe")
    def envoyer_lien_mot_de_passe(self, request, queryset):
        for user in queryset.order_by("pk"):
            if user.role in STAFF_ROLES:
                # The staff's own message (portal, relais, role), not allauth's generic reset text.
                emails.envoyer_bienvenue(user_id=user.pk, renvoyer=True)
                continue
            form = ResetPasswordForm(data={"email": user.email})
            if form.is_valid():
                form.save(request)
        self.message_user(request, f"{queryset.count()} lien(s) envoyé(s).", messages.SUCCESS)
