"""How a section of the export is built: the columns of a model, its rows, the rows attached to each.

Only reads. Each app's part is one function, scoped by that app's own `*_for_user` permission
querysets, so that the export shows exactly what the person may see on the portal and never another
family's rows. Rows are fetched with an explicit `order_by`: two exports of the same data are the
same file.

Shape: `{"portail", "personne", "genere_le", "sections": {cle: section}}`, where a section is
`{"titre", "explication", "libelles": {champ: libellé}, "sous_tables": {cle: {"titre", "libelles"}},
"lignes": [{champ: valeur, cle_de_sous_table: [{champ: valeur}]}]}`. Keys are field names (stable for
a program), labels come from the models' `verbose_name`s (readable for a person): a field added to a
model appears in the export without touching this module, unless it is listed as technical.

A section and its nested tables also say how the letter (PDF, page) writes them — `genres`, the kind of each
value (an amount, a month, a phone…, or a function giving its text) and `vide`, the sentence when there is
no row (« Aucune demande. ») — which the JSON leaves out (`formats.en_json`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

# Fields that say nothing about the person: internal keys, de-duplication helpers, reminder bookkeeping.
TECHNIQUES = frozenset(
    {
        "password",
        "is_superuser",
        "is_staff",
        "jeton_depot",
        "jeton",
        "enfant_prenom_normalise",
        "rappel_envoye_le",
        "rappel_expiration_envoye_le",
        "relais_notifie_le",
        "parent_notifie_le",
        "invitation_envoyee_le",
    }
)
# Django's own fields without a French verbose_name.
LIBELLES_PAR_DEFAUT = {
    "created_at": "créé le",
    "updated_at": "modifié le",
    "first_name": "prénom",
    "last_name": "nom",
    "last_login": "dernière connexion",
    "date_joined": "compte créé le",
    "is_active": "compte actif",
    "last_used_at": "dernière utilisation",
    "donnees": "données saisies",
    # Fields of ours without a verbose_name (a French one would need a migration of their app).
    "confirme_par": "confirmé par",
    "conteste_par": "contesté par",
    "cle_urgence": "clé de classement (urgence)",
    "cle_classement": "clé de classement",
}
# Values a program may use but that mean nothing to a reader: the queue's ordering keys, written by triggers.
HORS_DE_LA_LETTRE = frozenset({"cle_urgence", "cle_classement"})

# How the letter writes a value (`formats.texte_lisible`): "" is by its Python type.
EUROS, HEURES, MOIS, TELEPHONE, DETAIL, MASQUE = "euros", "heures", "mois", "telephone", "detail", "masque"
Genre = str | Callable[[Any], str]


@dataclass(frozen=True)
class Calcule:
    """A column that is not a model field (a derived or narrowed value)."""

    nom: str
    libelle: str
    valeur: Callable[[Any], Any]
    genre: Genre = ""


@dataclass(frozen=True)
class SousTable:
    """Rows attached to each row of a section (a request's history, a convention's statements…)."""

    cle: str
    titre: str
    modele: type[models.Model]
    objets: Callable[[Any], Iterable[models.Model]]
    exclure: frozenset[str] = frozenset()
    calcules: tuple[Calcule, ...] = ()
    vide: str = "Aucune ligne."
    genres: dict[str, Genre] = field(default_factory=dict)


@dataclass
class _Colonnes:
    champs: list[models.Field]
    calcules: tuple[Calcule, ...] = ()
    libelles: dict[str, str] = field(init=False)
    genres: dict[str, Genre] = field(init=False)

    def __post_init__(self):
        self.libelles = {c.name: libelle_du_champ(c) for c in self.champs} | {c.nom: c.libelle for c in self.calcules}
        self.genres = {c.name: genre_du_champ(c) for c in self.champs} | {c.nom: c.genre for c in self.calcules}

    def ligne(self, instance) -> dict[str, Any]:
        return {c.name: _valeur(instance, c) for c in self.champs} | {c.nom: c.valeur(instance) for c in self.calcules}


def libelle_du_champ(champ: models.Field) -> str:
    libelle = str(champ.verbose_name)
    # Django derives a missing verbose_name from the field's name, in English.
    if libelle == champ.name.replace("_", " "):
        return LIBELLES_PAR_DEFAUT.get(champ.name, libelle)
    return libelle


def genre_du_champ(champ: models.Field) -> str:
    """The kind of value a field holds, for the letter: read from its type, name and label."""
    if champ.name in HORS_DE_LA_LETTRE:
        return MASQUE
    if isinstance(champ, models.JSONField):
        return DETAIL
    if "(€)" in str(champ.verbose_name):
        return EUROS
    if isinstance(champ, models.DecimalField) and champ.name.startswith("heures"):
        return HEURES
    if champ.name == "mois" and isinstance(champ, models.DateField) and not isinstance(champ, models.DateTimeField):
        return MOIS
    if champ.name.startswith("telephone"):
        return TELEPHONE
    return ""


def _champs(modele: type[models.Model], exclure: Iterable[str] = ()) -> list[models.Field]:
    """Every stored field but the primary key, binary contents and the technical ones, in model order."""
    exclus = TECHNIQUES | set(exclure)
    return [
        champ
        for champ in modele._meta.concrete_fields
        if not champ.primary_key and champ.name not in exclus and not isinstance(champ, models.BinaryField)
    ]


def _valeur(instance: models.Model, champ: models.Field) -> Any:
    """What the person sees on the portal: choice labels rather than codes, a related row by its name."""
    if champ.is_relation:
        cible = getattr(instance, champ.name)
        return None if cible is None else str(cible)
    valeur = getattr(instance, champ.attname)
    if champ.choices and valeur not in (None, ""):
        return str(dict(champ.flatchoices).get(valeur, valeur))
    base = getattr(champ, "base_field", None)
    if base is not None and base.choices and valeur:
        libelles = dict(base.flatchoices)
        return [str(libelles.get(v, v)) for v in valeur]
    return valeur


def section(
    titre: str,
    modele: type[models.Model],
    objets: Iterable[models.Model],
    *,
    explication: str = "",
    exclure: Iterable[str] = (),
    calcules: tuple[Calcule, ...] = (),
    sous_tables: tuple[SousTable, ...] = (),
    genres: dict[str, Genre] | None = None,
    vide: str = "Aucune donnée.",
) -> dict[str, Any]:
    """`genres` overrides how the letter writes some fields; `vide` is its sentence when there is no row."""
    colonnes = _Colonnes(_champs(modele, exclure), calcules)
    colonnes.genres |= genres or {}
    sous = [(st, _Colonnes(_champs(st.modele, st.exclure), st.calcules)) for st in sous_tables]
    for st, cols in sous:
        cols.genres |= st.genres
    lignes = []
    for instance in objets:
        ligne = colonnes.ligne(instance)
        for st, cols in sous:
            ligne[st.cle] = [cols.ligne(objet) for objet in st.objets(instance)]
        lignes.append(ligne)
    return {
        "titre": titre,
        "explication": explication,
        "libelles": colonnes.libelles,
        "sous_tables": {
            st.cle: {"titre": st.titre, "libelles": cols.libelles, "genres": cols.genres, "vide": st.vide}
            for st, cols in sous
        },
        "lignes": lignes,
        "genres": colonnes.genres,
        "vide": vide,
    }
