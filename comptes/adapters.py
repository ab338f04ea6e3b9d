from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from comptes.champs import LONGUEUR_EMAIL, adresse_envoyable
from comptes.models import SELF_SIGNUP_ROLES, Role


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        """Sign-up, "add an address" and password reset come here: allauth's field neither limits the length (the
        column does) nor checks that mail can be sent to the address (reset and verification mails are)."""
        email = super().clean_email(email)
        if len(email) > LONGUEUR_EMAIL:
            raise forms.ValidationError(f"Une adresse e-mail compte au plus {LONGUEUR_EMAIL} caractères.")
        adresse_envoyable(email)
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        role = form.cleaned_data.get("role")
        # Defence in depth: the form only offers these, a forged POST must not make staff.
        user.role = role if role in SELF_SIGNUP_ROLES else Role.PARENT
        if commit:
            user.save()
        return user
