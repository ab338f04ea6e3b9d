"""The team's forms on a request's AVIP place and PEPIT parcours. Bounds are checked here so that an odd date
(year 1, year 9999) gets a French message instead of reaching the month arithmetic."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from comptes.champs import DateInput, ListeLongue
from insertion.models import ContactParcours, ParcoursAttentionne

# Far enough for any real start, end or contact; anything beyond is a typing slip.
ECART_MAX = timedelta(days=2 * 366)


class _DatesBornees(forms.Form):
    def _borner(self, nom: str):
        jour = self.cleaned_data[nom]
        aujourd_hui = timezone.localdate()
        if not aujourd_hui - ECART_MAX <= jour <= aujourd_hui + ECART_MAX:
            raise forms.ValidationError("Indiquez une date de moins de deux ans d'écart avec aujourd'hui.")
        return jour


def _texte(valeur: str) -> str:
    return valeur.replace("\x00", "").strip()


def _libelle_de_la_creche(structure) -> str:
    return f"{structure.nom} ({structure.commune.nom}) – {structure.places_avip} places AVIP"


class AttribuerAvipForm(_DatesBornees):
    structure = forms.ModelChoiceField(
        label="Crèche",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choisissez une crèche."},
        widget=ListeLongue,
    )
    debut = forms.DateField(label="Début de la place", widget=DateInput())

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["structure"].label_from_instance = _libelle_de_la_creche
        self.fields["debut"].initial = timezone.localdate()
        self.fields["debut"].help_text = "La place court 3 mois, renouvelable une fois."

    def clean_debut(self):
        return self._borner("debut")

    def lire_les_creches(self) -> bool:
        """Reads the crèches into the select once, and says whether there is any: the request page shows a
        message instead of an empty select, and would otherwise ask the database twice."""
        champ = self.fields["structure"]
        # Through iter(): list() would first ask the choices' len(), which Django answers with a COUNT.
        champ.widget.choices = list(iter(champ.choices))
        return bool(champ.widget.choices)


class TerminerAvipForm(_DatesBornees):
    le = forms.DateField(label="Fin de la place le", widget=DateInput())
    motif = forms.CharField(label="Motif", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["le"].initial = timezone.localdate()

    def clean_le(self):
        return self._borner("le")

    def clean_motif(self):
        motif = _texte(self.cleaned_data["motif"])
        if not motif:
            raise forms.ValidationError("Indiquez pourquoi la place se termine.")
        return motif


class OuvrirParcoursForm(_DatesBornees):
    debut = forms.DateField(label="Début du parcours", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["debut"].initial = timezone.localdate()
        self.fields["debut"].help_text = "Le parcours dure 6 mois."

    def clean_debut(self):
        return self._borner("debut")


class ContactForm(_DatesBornees):
    le = forms.DateField(label="Date (passée ou prévue)", widget=DateInput())
    type = forms.ChoiceField(label="Type de contact", choices=ContactParcours.Type.choices)
    note = forms.CharField(
        label="Note (équipe du relais seulement)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_le(self):
        return self._borner("le")

    def clean_note(self):
        return _texte(self.cleaned_data["note"])


class CloturerParcoursForm(_DatesBornees):
    le = forms.DateField(label="Clos le", widget=DateInput())
    issue = forms.ChoiceField(label="Issue", choices=ParcoursAttentionne.Issue.choices)
    note = forms.CharField(
        label="Bilan (équipe du relais seulement)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["le"].initial = timezone.localdate()

    def clean_le(self):
        return self._borner("le")

    def clean_note(self):
        return _texte(self.cleaned_data["note"])
