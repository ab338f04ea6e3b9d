"""One-line text: what a name, a title or an e-mail subject may hold.

A browser's `<input type="text">` strips line breaks from what it submits; a crafted request does not, and a
name holding "\\r\\n" would add lines to every e-mail that names the person (or, in a subject, headers that
Django refuses with BadHeaderError, so the e-mail would never leave). Every single-line column of ours
(`CharField`, unlike `TextField`) is therefore stored the way a browser would have sent it, line breaks and
other control characters turned into a space (`neutraliser_les_lignes`, connected in `ComptesConfig.ready`).
"""

import re
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import CharField, Func
from django.db.models.functions import Lower

# Unicode's control characters (category Cc: C0 with \r \n \t \v \f, DEL, C1 with \x85) and its line and
# paragraph separators (Zl, Zp), with the spaces around them.
_SAUTS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_SAUT = re.compile(f"[ {_SAUTS}]*[{_SAUTS}][ {_SAUTS}]*")


def une_ligne(texte: str) -> str:
    """The text on one line: each run of line breaks or control characters becomes one space."""
    if not _SAUT.search(texte):
        return texte
    return _SAUT.sub(" ", texte).strip()


def _est_de_nous(model) -> bool:
    # A migration's historical models have no real app config: a data migration writes what it is given.
    chemin = getattr(model._meta.app_config, "path", None)
    return chemin is not None and Path(chemin).parent == settings.BASE_DIR


def neutraliser_les_lignes(sender, instance, **kwargs) -> None:
    """pre_save: the single-line columns of our models hold one line (`update()` and bulk writes bypass it)."""
    if not _est_de_nous(sender):
        return
    for champ in sender._meta.concrete_fields:
        if isinstance(champ, models.CharField) and not champ.choices:
            valeur = getattr(instance, champ.attname)
            if isinstance(valeur, str):
                setattr(instance, champ.attname, une_ligne(valeur))


# French dictionary order ignores accents, case and punctuation at first: « Béziers » before « Boujan ». The
# databases we run on are not all built with ICU (no "fr-x-icu" collation) nor with the unaccent extension, so
# the key is the name lowercased with the accented letters of French turned into their base letter.
_ACCENTUEES = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ-'’"
_DE_BASE = "aaaaaaceeeeiiiinooooouuuuyyoa   "


class OrdreAlphabetique(Func):
    """`order_by(OrdreAlphabetique("nom"), "nom")`: the order a French reader expects (the second key breaks
    the ties the first one makes, « Eze » and « Èze »)."""

    function = "translate"
    output_field = CharField()

    def __init__(self, champ: str):
        super().__init__(Lower(champ), models.Value(_ACCENTUEES), models.Value(_DE_BASE))
