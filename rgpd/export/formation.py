"""Training: a childminder's wishes and enrolments, a parent's requests for care while she is in training."""

from comptes.models import User
from formation.permissions import demandes_alternatives_for_user, inscriptions_for_user, souhaits_for_user
from rgpd.export.socle import Calcule, SousTable, section


def export_accueils_alternatifs(user: User) -> dict[str, dict]:
    demandes = (
        demandes_alternatives_for_user(user)
        .select_related("relais", "inscription__session", "inscription__assistant_maternel")
        .order_by("created_at", "pk")
    )
    modele = demandes.model
    return {
        "accueils_alternatifs": section(
            "Mes demandes d'accueil pendant une formation",
            modele,
            demandes,
            exclure={"enfant_concerne", "enregistree_par"},
            vide="Aucune demande.",
            sous_tables=(
                SousTable(
                    "propositions",
                    "Solutions proposées",
                    modele._meta.get_field("propositions").related_model,
                    lambda d: d.propositions.select_related("assistant_maternel", "structure").order_by(
                        "propose_le", "pk"
                    ),
                    exclure=frozenset({"demande", "propose_par"}),
                    vide="Aucune solution proposée.",
                ),
            ),
        )
    }


def export_formation(user: User) -> dict[str, dict]:
    souhaits = souhaits_for_user(user).select_related("theme", "commune").order_by("created_at", "pk")
    inscriptions = (
        inscriptions_for_user(user)
        .select_related("session__organisme", "session__commune")
        .order_by("inscrite_le", "pk")
    )
    modele_inscription = inscriptions.model
    lien = modele_inscription._meta.get_field
    return {
        "souhaits_formation": section(
            "Mes souhaits de formation",
            souhaits.model,
            souhaits,
            exclure={"assistant_maternel"},
            vide="Aucun souhait de formation.",
        ),
        "inscriptions_formation": section(
            "Mes inscriptions en formation",
            modele_inscription,
            inscriptions,
            exclure={"assistant_maternel", "inscrite_par"},
            vide="Aucune inscription.",
            calcules=(
                Calcule("organisme", "organisme de formation", lambda i: str(i.session.organisme)),
                Calcule("lieu", "lieu", lambda i: f"{i.session.lieu}, {i.session.commune}"),
            ),
            sous_tables=(
                SousTable(
                    "historique",
                    "Historique",
                    lien("historique").related_model,
                    lambda i: i.historique.order_by("at", "pk"),
                    exclure=frozenset({"inscription", "auteur"}),
                    vide="Aucun changement.",
                ),
                # The parents' e-mails she gave stay out: they are the parents' data, not hers.
                SousTable(
                    "enfants_concernes",
                    "Enfants concernés par mon absence",
                    lien("enfants_concernes").related_model,
                    lambda i: i.enfants_concernes.select_related("accueil").order_by("accueil__prenom_enfant", "pk"),
                    exclure=frozenset({"inscription", "email_parent"}),
                    vide="Aucun enfant.",
                ),
            ),
        ),
    }
