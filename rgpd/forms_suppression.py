"""The confirmation form of an account deletion: the password again, or a typed word when there is none."""

from django import forms

MOT_DE_CONFIRMATION = "SUPPRIMER"


class ConfirmationSuppressionForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            self.fields["mot_de_passe"] = forms.CharField(
                label="Votre mot de passe",
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                help_text="Pour confirmer que c'est bien vous.",
            )
        else:
            self.fields["confirmation"] = forms.CharField(
                label=f"Tapez {MOT_DE_CONFIRMATION} pour confirmer", max_length=20
            )

    def clean_mot_de_passe(self):
        mot_de_passe = self.cleaned_data["mot_de_passe"]
        if not self.user.check_password(mot_de_passe):
            raise forms.ValidationError("Ce mot de passe n'est pas le bon.")
        return mot_de_passe

    def clean_confirmation(self):
        confirmation = self.cleaned_data["confirmation"].strip()
        if confirmation.upper() != MOT_DE_CONFIRMATION:
            raise forms.ValidationError(f"Tapez le mot {MOT_DE_CONFIRMATION} pour confirmer.")
        return confirmation
