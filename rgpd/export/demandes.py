"""A parent's requests for childcare, with everything attached to them, and the request being typed."""

from comptes.models import User
from demandes.permissions import demandes_for_user
from rgpd.export.socle import Calcule, SousTable, section


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

    def sous(cle: str, titre: str, ordre: tuple[str, ...], exclure=frozenset({"demande"})) -> SousTable:
        cible = modele._meta.get_field(cle).related_model
        return SousTable(cle, titre, cible, lambda d: getattr(d, cle).order_by(*ordre), exclure=exclure | {"demande"})

    return {
        "demandes": section(
            "Mes demandes d'accueil",
            modele,
            demandes,
            exclure={"creneaux"},
            calcules=(Calcule("creneaux", "planning hebdomadaire", lambda d: d.creneaux_lisibles),),
            sous_tables=(
                sous("historique", "Historique", ("created_at", "pk")),
                sous("rendez_vous", "Rendez-vous", ("debut", "pk")),
                sous("propositions", "Propositions", ("created_at", "pk")),
                sous("notes_privees", "Notes du relais", ("created_at", "pk")),
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
            explication="Ce que vous avez saisi dans le formulaire de demande sans l'envoyer.",
        )
    }
