"""Form pieces every app of the portal shares (comptes is the core each app may import)."""

import html
import unicodedata

from django import forms
from django.core.mail.message import sanitize_address
from django.core.validators import RegexValidator
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class DateInput(forms.DateInput):
    """The browser's date picker; ISO value so that it shows the date back after an error."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ListeLongue(forms.Select):
    """A <select> written in Python, option groups included: hundreds of options (a territory's childminders), or
    a page that cannot afford Django's template per option (the queue's filters, seven selects on the staff's
    hottest page; the public search's communes). Django renders each option through its own template: at the
    large scale that was 55 ms of the convention form's 60 ms. Its option dicts (`optgroups`) and the lazy-aware
    `escape` still cost the public search 5 ms for 180 communes: the options are read straight from the
    choices, as `optgroups` reads them (the first matching value only is selected, unless multiple)."""

    def use_required_attribute(self, initial):
        # Django reads the first choice to know whether it is an empty one: for a model's choices without an empty
        # label, that is one more query each time the field is shown. The field says it without a query.
        if isinstance(self.choices, ModelChoiceIterator) and not self.allow_multiple_selected:
            return forms.Widget.use_required_attribute(self, initial) and self.choices.field.empty_label is not None
        return super().use_required_attribute(initial)

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        valeurs = set(self.format_value(value))
        deja_choisie = False

        def option(valeur, libelle) -> str:
            nonlocal deja_choisie
            valeur = "" if valeur is None else str(valeur)
            choisie = valeur in valeurs and (self.allow_multiple_selected or not deja_choisie)
            deja_choisie = deja_choisie or choisie
            return f'<option value="{_echapper(valeur)}"{" selected" if choisie else ""}>{_echapper(libelle)}</option>'

        morceaux = []
        for valeur, libelle in self.choices:
            if isinstance(libelle, (list, tuple)):
                options = "".join(option(v, lib) for v, lib in libelle)
                morceaux.append(f'<optgroup label="{_echapper(valeur)}">{options}</optgroup>')
            else:
                morceaux.append(option(valeur, libelle))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            # Every group name, value and label is escaped above.
            mark_safe("".join(morceaux)),  # noqa: S308  # nosec B308 B703
        )


def _echapper(texte) -> str:
    """Django's `escape` without its lazy-string wrapper, called twice per option."""
    return html.escape(str(texte))


def chiffres_ascii(valeur: str) -> str:
    """A number typed on any keyboard, in ASCII: full-width « ３４５００ » or Arabic-Indic « ٣٤٥٠٠ » digits become
    34500 (a phone's or a CAF card's input method types them); any other non-ASCII character is refused by name,
    so that the person knows what to retype rather than reading « 5 chiffres » beside five digits."""
    # NFKC folds the full-width letters, spaces and signs too (« ＡＢ », U+3000); digits of the other scripts
    # are not compatibility characters, unicodedata.digit reads them.
    valeur = unicodedata.normalize("NFKC", valeur)
    lus = []
    for caractere in valeur:
        if caractere.isascii():
            lus.append(caractere)
        elif caractere.isspace():
            lus.append(" ")
        elif (chiffre := unicodedata.digit(caractere, None)) is not None and unicodedata.category(caractere) == "Nd":
            lus.append(str(chiffre))
        else:
            raise forms.ValidationError(
                "Le caractère « %(caractere)s » n'est pas accepté.",
                code="caractere",
                params={"caractere": caractere},
            )
    return "".join(lus)


class ChiffresField(forms.CharField):
    """A code made of digits (postcode, phone, SIRET, agrément number): `chiffres_ascii` before any validator."""

    def to_python(self, value):
        return chiffres_ascii(super().to_python(value))


CODE_POSTAL = RegexValidator(r"^[0-9]{5}$", "Le code postal compte 5 chiffres, par exemple 34000.")


def normaliser_telephone(valeur: str) -> str:
    """A French 10-digit number, spaces and dots removed; empty stays empty."""
    telephone = "".join(chiffres_ascii(valeur).split()).replace(".", "")
    if telephone and not (telephone.isdigit() and len(telephone) == 10 and telephone.startswith("0")):
        raise forms.ValidationError("Saisissez un numéro à 10 chiffres commençant par 0, par exemple 04 67 00 00 00.")
    return telephone


def telephone_lisible(numero: str) -> str:
    """A French number as people write it, « 04 67 12 34 56 »; a number of another shape is left as typed."""
    chiffres = _chiffres_francais(numero)
    return " ".join(chiffres[i : i + 2] for i in range(0, 10, 2)) if chiffres else numero


def telephone_lien(numero: str) -> str:
    """The `tel:` target of a number (international form, which every phone dials); empty when it is not one."""
    chiffres = _chiffres_francais(numero)
    return f"tel:+33{chiffres[1:]}" if chiffres else ""


def _chiffres_francais(numero: str) -> str:
    chiffres = "".join(c for c in numero if c.isascii() and c.isdigit())
    if numero.strip().startswith(("+33", "0033")):
        chiffres = "0" + chiffres.removeprefix("00").removeprefix("33")
    return chiffres if len(chiffres) == 10 and chiffres.startswith("0") and chiffres[1] != "0" else ""


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
