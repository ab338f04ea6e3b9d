"""A parent's AVIP crèche places and PEPIT parcours attentionnés, attached to their requests.

The team's notes (an early end's reason, the contacts' notes, the parcours' review) are included, as the relais'
private notes are in `rgpd.export.demandes`: never shown on the request's page, they are personal data about the
family all the same, and the right of access covers them."""

from comptes.models import User
from insertion.permissions import attributions_for_user, parcours_for_user
from rgpd.export.socle import Calcule, SousTable, section


def export_insertion(user: User) -> dict[str, dict]:
    attributions = (
        attributions_for_user(user).select_related("demande", "structure", "attribuee_par").order_by("debut", "pk")
    )
    parcours = parcours_for_user(user).select_related("demande", "ouvert_par", "cloture_par").order_by("debut", "pk")
    demande = Calcule("demande", "demande", lambda objet: objet.demande.reference)
    lien = attributions.model._meta.get_field
    return {
        "places_avip": section(
            "Mes places en crèche AVIP (à vocation d'insertion professionnelle)",
            attributions.model,
            attributions,
            exclure={"demande"},
            calcules=(demande,),
            vide="Aucune place AVIP.",
            sous_tables=(
                SousTable(
                    "historique",
                    "Historique",
                    lien("historique").related_model,
                    lambda a: a.historique.order_by("created_at", "pk"),
                    exclure=frozenset({"attribution"}),
                    vide="Aucun événement.",
                ),
            ),
        ),
        "parcours_attentionnes": section(
            "Mes parcours attentionnés (PEPIT)",
            parcours.model,
            parcours,
            exclure={"demande"},
            calcules=(demande,),
            vide="Aucun parcours attentionné.",
            sous_tables=(
                SousTable(
                    "contacts",
                    "Contacts de suivi",
                    parcours.model._meta.get_field("contacts").related_model,
                    lambda p: p.contacts.order_by("date", "pk"),
                    exclure=frozenset({"parcours"}),
                    vide="Aucun contact.",
                ),
            ),
        ),
    }
