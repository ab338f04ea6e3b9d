from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings

from comptes.champs import LONGUEUR_EMAIL, adresse_envoyable
from comptes.models import SELF_SIGNUP_ROLES, Role

NOM_DU_PORTAIL = "Guichet RPE"


def sur_site_url(url: str) -> str:
    """The same path on the configured base URL: a link in an e-mail never trusts the request's Host header."""
    morceaux = urlsplit(url)
    return settings.SITE_URL + morceaux.path + (f"?{morceaux.query}" if morceaux.query else "")


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

    def send_mail(self, template_prefix, email, context):
        """allauth builds its links from the request (Host header) and names the site after the host: every link
        is moved onto SITE_URL, and the mails name the portal."""
        absolu = ("http://", "https://")
        context = {
            cle: sur_site_url(valeur) if isinstance(valeur, str) and valeur.startswith(absolu) else valeur
            for cle, valeur in context.items()
        }
        context["current_site"] = SimpleNamespace(name=NOM_DU_PORTAIL, domain=urlsplit(settings.SITE_URL).netloc)
        context["site_url"] = settings.SITE_URL
        super().send_mail(template_prefix, email, context)
