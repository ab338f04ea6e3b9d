from allauth.account.forms import SignupForm
from django import forms

from comptes.models import SELF_SIGNUP_ROLES, User


class InscriptionForm(SignupForm):
    """Self sign-up for parents and childminders; the role decides their space in the portal."""

    role = forms.ChoiceField(
        label="Vous êtes",
        choices=[(role.value, role.label) for role in SELF_SIGNUP_ROLES],
        widget=forms.RadioSelect,
    )
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    field_order = ["role", "first_name", "last_name", "email", "password1", "password2"]


class ProfilForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "telephone"]
        labels = {"first_name": "Prénom", "last_name": "Nom"}

    def clean_telephone(self):
        telephone = "".join(self.cleaned_data["telephone"].split()).replace(".", "")
        if telephone and not (telephone.isdigit() and len(telephone) == 10 and telephone.startswith("0")):
            raise forms.ValidationError(
                "Saisissez un numéro à 10 chiffres commençant par 0, par exemple 04 67 00 00 00."
            )
        return telephone
