"""Who referred a family to the relais (GDPR art. 14: the source of data the family did not give itself)."""

from comptes.models import User
from orientations.permissions import orientations_for_user
from rgpd.export.socle import Calcule, section


def export_orientations(user: User) -> dict[str, dict]:
    orientations = (
        orientations_for_user(user)
        .select_related("demande", "partenaire", "orientee_par")
        .order_by("created_at", "pk")
    )
    return {
        "orientations": section(
            "Mon orientation vers le relais par un partenaire",
            orientations.model,
            orientations,
            explication=(
                "France Travail, un service social ou un autre partenaire a transmis votre besoin d'accueil au "
                "relais, avec votre accord."
            ),
            exclure={"demande"},
            calcules=(Calcule("demande", "demande", lambda o: o.demande.reference),),
            vide="Aucun partenaire ne vous a orienté·e vers le relais.",
        )
    }
