"""A parent's requests for childcare, with everything attached to them, and the request being typed."""

from datetime import date

from django import forms

from comptes.models import User
from demandes.forms import ETAPES
from demandes.permissions import demandes_for_user
from rgpd.export.formats import date_lisible
from rgpd.export.socle import Calcule, SousTable, section


def _reponse(champ: forms.Field | None, valeur) -> str:
    valeurs = valeur if isinstance(valeur, list) else [valeur]
    if isinstance(champ, forms.BooleanField):
        return "oui"
    if isinstance(champ, forms.ChoiceField):
        libelles = {str(code): str(libelle) for code, libelle in champ.choices}
        return ", ".join(libelles.get(str(v), str(v)) for v in valeurs)
    if isinstance(champ, forms.DateField):
        try:
            return ", ".join(date_lisible(date.fromisoformat(v)) for v in valeurs)
        except (TypeError, ValueError):
            pass
    return ", ".join(str(v) for v in valeurs)


def saisie_lisible(donnees: dict) -> str:
    """The draft (the raw values of each step) as the form asked it: its questions, its choices' labels."""
    reponses = []
    for etape, valeurs in donnees.items():
        champs = ETAPES[etape].base_fields if etape in ETAPES else {}
        for nom, valeur in (valeurs or {}).items():
            if valeur in ("", None, []):
                continue
            champ = champs.get(nom)
            question = str(champ.label) if champ is not None and champ.label else nom.replace("_", " ")
            reponses.append(f"{question} : {_reponse(champ, valeur)}")
    return " ; ".join(reponses) or "—"


def export_demandes(user: User) -> dict[str, dict]:
    """Requests where the person is the parent or the second guardian, with everything attached to them.

    The relais' private notes are included. They are the team's working notes, never shown on the
    request's page, but they are personal data about the family, and the right of access covers them
    (CNIL: internal notes are communicable; hence the relais are told to write them as the family may
    read them). Only their text, date and author are given."""
    demandes = (
        demandes_for_user(user).select_related("commune", "relais", "parent", "prise_par").order_by("date_depot", "pk")
    )
    modele = demandes.model

    def sous(cle: str, titre: str, ordre: tuple[str, ...], vide: str) -> SousTable:
        cible = modele._meta.get_field(cle).related_model
        exclure = frozenset({"demande"})
        return SousTable(cle, titre, cible, lambda d: getattr(d, cle).order_by(*ordre), exclure, vide=vide)

    return {
        "demandes": section(
            "Mes demandes d'accueil",
            modele,
            demandes,
            exclure={"creneaux"},
            vide="Aucune demande.",
            calcules=(Calcule("creneaux", "planning hebdomadaire", lambda d: d.creneaux_lisibles),),
            sous_tables=(
                sous("historique", "Historique", ("created_at", "pk"), "Aucun changement."),
                sous("rendez_vous", "Rendez-vous", ("debut", "pk"), "Aucun rendez-vous."),
                sous("propositions", "Propositions", ("created_at", "pk"), "Aucune proposition."),
                sous("notes_privees", "Notes du relais", ("created_at", "pk"), "Aucune note du relais."),
            ),
        )
    }


def export_brouillon(user: User) -> dict[str, dict]:
    brouillon = getattr(user, "brouillon", None)
    modele = User._meta.get_field("brouillon").related_model
    return {
        "brouillon": section(
            "Demande en cours de saisie",
            modele,
            [brouillon] if brouillon else [],
            exclure={"parent"},
            genres={"donnees": saisie_lisible},
            vide="Aucune demande en cours de saisie.",
            explication="Ce que vous avez saisi dans le formulaire de demande sans l'envoyer.",
        )
    }
