from allauth.account.forms import SignupForm
from django import forms

from comptes.champs import normaliser_telephone
from comptes.models import SELF_SIGNUP_ROLES, User


class InscriptionForm(SignupForm):
    """Self sign-up for parents and childminders; the role decides their space in the portal."""

    role = forms.ChoiceField(
        label="Vous êtes",
        choices=[(role.value, role.label) for role in SELF_SIGNUP_ROLES],
        widget=forms.RadioSelect,
    )
    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    field_order = ["role", "first_name", "last_name", "email", "password1", "password2"]


class ProfilForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "telephone"]
        labels = {"first_name": "Prénom", "last_name": "Nom"}
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "telephone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        }

    def clean_telephone(self):
        return normaliser_telephone(self.cleaned_data["telephone"])
