"""Form pieces every app of the portal shares (comptes is the core each app may import)."""

from django import forms
from django.core.mail.message import sanitize_address


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


# The size of every e-mail column (Django's models.EmailField default, RFC 5321's limit for a path).
LONGUEUR_EMAIL = 254


def adresse_envoyable(valeur: str) -> None:
    """Django's validator accepts some domains the mail library cannot write in a header (IDNA refuses "\u202e"):
    the portal would fail when it sends the first e-mail, so such an address is refused where it is typed."""
    try:
        sanitize_address(valeur, "utf-8")
    except ValueError:  # UnicodeError (IDNA) included
        raise forms.ValidationError("Saisissez une adresse e-mail valide.", code="invalid") from None


class EmailField(forms.EmailField):
    """An e-mail that fits the columns that store it and that mail can be sent to; otherwise a French error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", LONGUEUR_EMAIL)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value:
            adresse_envoyable(value)


# An id fits PostgreSQL's bigint (19 digits); int() of a longer string is slow or refused (more than 4,300 digits).
CHIFFRES_D_UN_IDENTIFIANT = 18


def identifiant(valeur) -> int | None:
    """An object id read from a URL or a form: ASCII digits of a plausible id, None for anything else.

    `str.isdigit()` alone lets through "²" or "١٢" (int() refuses the first) and strings of thousands of digits.
    """
    valeur = str(valeur or "")
    if valeur.isascii() and valeur.isdigit() and len(valeur) <= CHIFFRES_D_UN_IDENTIFIANT:
        return int(valeur)
    return None
