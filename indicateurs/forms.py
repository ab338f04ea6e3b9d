from django import forms
from django.utils import timezone

from indicateurs.models import Mission


class AnneeForm(forms.Form):
    annee = forms.IntegerField(label="Année", min_value=2015, max_value=2100)

    def annee_ou_courante(self) -> int:
        return self.cleaned_data["annee"] if self.is_valid() else timezone.localdate().year


class EngagementForm(forms.Form):
    missions = forms.TypedMultipleChoiceField(
        label="Missions engagées",
        choices=Mission.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une mission engagée."},
    )
    mission_retenue = forms.TypedChoiceField(
        label="Mission retenue pour l'évaluation", choices=Mission.choices, coerce=int, widget=forms.RadioSelect
    )
    motif = forms.CharField(
        label="Motif du changement de mission retenue",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire quand les chiffres de l'année ont déjà été affichés ; indiqué sur le rapport.",
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("missions") and donnees.get("mission_retenue") not in donnees["missions"]:
            self.add_error("mission_retenue", "La mission retenue doit faire partie des missions engagées.")
        return donnees
