"""Form pieces every app of the portal shares (comptes is the core each app may import)."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; ISO value so that it shows the date back after an error."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def normaliser_telephone(valeur: str) -> str:
    """A French 10-digit number, spaces and dots removed; empty stays empty."""
    telephone = "".join(valeur.split()).replace(".", "")
    if telephone and not (telephone.isdigit() and len(telephone) == 10 and telephone.startswith("0")):
        raise forms.ValidationError("Saisissez un numéro à 10 chiffres commençant par 0, par exemple 04 67 00 00 00.")
    return telephone
