"""`{% load formulaires %}` and `{{ form|crispy_vierge }}`: crispy's rendering of a blank form, kept in the
process' memory.

The request page shows up to eight small forms (appointment, proposal, solution, notes, AVIP place…), and
crispy-bootstrap5 renders each field through a dozen templates: ≈ 1.5 ms a form, a fifth of the staff's second
hottest page. A blank form's HTML depends on its class, its prefix and what each field shows: its value (today's
date as initial, the appointment being moved), label, help text, choices, widget and the widget's attributes.
That is the key, so that a form that differs in any of them is rendered anew. A bound form (what was typed,
its errors) is never kept. Use it on forms whose fields and widgets hold no other state: Django's and
`comptes.champs`'. A select of a model's rows reads them to make the key: read them into the widget first
(`insertion.forms.AttribuerAvipForm.lire_les_creches`), or the page asks the database twice on a miss."""

from datetime import date, time
from decimal import Decimal

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import template
from django.forms import Form
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString

register = template.Library()

# A few forms, each with a handful of states a day (the date, the relais' proposals): far below this bound; past
# it, the whole store is dropped rather than tracking an order.
MAX_RENDUS = 1000
_rendus: dict[tuple, SafeString] = {}


@register.filter
def crispy_vierge(form: Form) -> SafeString:
    if form.is_bound:
        return as_crispy_form(form)
    cle = empreinte(form)
    rendu = _rendus.get(cle)
    if rendu is None:
        rendu = as_crispy_form(form)
        if len(_rendus) >= MAX_RENDUS:
            _rendus.clear()
        _rendus[cle] = rendu
    return rendu


def empreinte(form: Form) -> tuple:
    """Everything a blank form's crispy HTML is made of, as a hashable tuple."""
    return (
        type(form),
        form.prefix,
        form.auto_id,
        form.label_suffix,
        form.use_required_attribute,
        translation.get_language(),
        tuple(_champ(bound) for bound in form),
    )


def _champ(bound) -> tuple:
    field, widget = bound.field, bound.field.widget
    return (
        bound.html_name,
        bound.auto_id,
        _simple(bound.value()),
        str(bound.label),
        str(field.help_text),
        field.required,
        field.disabled,
        field.show_hidden_initial,
        type(field),
        type(widget),
        _etat_du_widget(widget),
        _choix(widget.choices) if hasattr(widget, "choices") else None,
    )


# Read apart, by `_choix` (Django keeps a select's choices in `_choices`, behind the `choices` property).
_CHOIX = frozenset({"choices", "_choices"})


def _etat_du_widget(widget) -> tuple:
    """The widget's own attributes (attrs, format, input_type, rows…): an attribute that is not a plain value (a
    reference to an object) makes the key unique to this instance, i.e. no reuse rather than a wrong one."""
    return tuple(sorted((nom, _simple(valeur)) for nom, valeur in vars(widget).items() if nom not in _CHOIX))


def _simple(valeur):
    if valeur is None or isinstance(valeur, (str, int, float, bool)):
        return valeur
    if isinstance(valeur, dict):
        return tuple(sorted((str(k), _simple(v)) for k, v in valeur.items()))
    if isinstance(valeur, (list, tuple)):
        return tuple(_simple(v) for v in valeur)
    # Dates, times, decimals and lazy texts say all they hold in str(); other objects may not.
    if isinstance(valeur, (date, time, Decimal, Promise)):
        return (type(valeur), str(valeur))
    return object()


def _choix(choices) -> tuple:
    return tuple(
        (str(valeur), _choix(libelle) if isinstance(libelle, (list, tuple)) else str(libelle))
        for valeur, libelle in choices
    )
