"""What a browser needs to fill a field that names or reaches a person: `autocomplete` and `inputmode`.

RGAA 11.13 (WCAG 1.3.5) asks the purpose of a field about the person typing to be declared, so that the
browser proposes her name, e-mail, phone or postcode; on a phone the keyboard follows `inputmode`. A field
about someone else (a parent's e-mail typed by the relais, a training body's phone) gets the keyboard but
`autocomplete="off"`: proposing the typist's own details there would be wrong. Fields of a child are left
alone. The field's name says its kind, so that forms declare only whose details they ask for.
"""

from django import forms

INPUTMODES = {"email": "email", "tel": "tel", "postal-code": "numeric", "siret": "numeric"}


def genre_du_champ(nom: str) -> str | None:
    """The `autocomplete` token a field's name stands for, or None."""
    mots = nom.split("_")
    if "enfant" in mots:
        return None
    if "email" in mots:
        return "email"
    if "telephone" in mots:
        return "tel"
    if nom == "code_postal":
        return "postal-code"
    if nom == "siret":
        return "siret"
    if nom in ("first_name", "prenom") or nom.startswith("prenom_") or nom.endswith("_prenom"):
        return "given-name"
    if nom in ("last_name", "nom") or nom.startswith("nom_") or nom.endswith("_nom"):
        return "family-name"
    if nom == "contact":
        return "name"
    return None


def decrire_la_saisie(form: forms.BaseForm, *, de_soi: bool, genres: dict[str, str] | None = None) -> None:
    """Sets `autocomplete` (the token when the form asks about the person typing, else "off") and `inputmode`
    on the form's person fields; attributes a widget already declares are kept."""
    for nom, champ in form.fields.items():
        genre = (genres or {}).get(nom) or genre_du_champ(nom)
        if genre is None or not isinstance(champ.widget, forms.TextInput | forms.EmailInput):
            continue
        attrs = champ.widget.attrs
        if inputmode := INPUTMODES.get(genre):
            attrs.setdefault("inputmode", inputmode)
        if genre == "tel" and champ.widget.input_type == "text":
            champ.widget.input_type = "tel"
        attrs.setdefault("autocomplete", genre if de_soi and genre != "siret" else "off")


class SaisieDeSoi:
    """A form about the person typing (her profile, her contact details)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        decrire_la_saisie(self, de_soi=True)


class SaisieDAutrui:
    """A form where someone types another person's or a body's details (the relais, the CAF, a childminder)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        decrire_la_saisie(self, de_soi=False)
