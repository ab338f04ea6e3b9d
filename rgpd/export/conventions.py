"""Tiers-payant conventions (a parent or a childminder), their signatures, documents, history and statements."""

from comptes.models import Role, User
from rgpd.export.socle import SousTable, section
from tiers_payant.permissions import conventions_for_user

# What the family declared to the CAF for its CMG: the childminder is a party to the convention but does
# not see the family's resources on the portal, so neither does her export.
RESSOURCES_DE_LA_FAMILLE = frozenset(
    {"ressources_mensuelles", "enfants_a_charge", "parent_isole", "rsa", "aeeh", "aah", "calcul_cmg", "reste_estime"}
)

# The CMG engine's rule names (`tiers_payant.cmg.baremes.REGIMES`), as the family knows them.
REGIMES_LISIBLES = {
    "reforme_2025": "CMG réformé (septembre 2025)",
    "ancien_bareme": "ancien barème du CMG",
}


def export_conventions(user: User) -> dict[str, dict]:
    conventions = (
        conventions_for_user(user)
        .select_related("relais", "parent", "parent2", "commune_famille", "assistant_maternel", "created_by")
        .order_by("created_at", "pk")
    )
    modele = conventions.model
    cible = modele._meta.get_field
    exclure = {"created_by"} | (RESSOURCES_DE_LA_FAMILLE if user.role == Role.ASSMAT else set())
    return {
        "conventions": section(
            "Mes conventions de tiers payant",
            modele,
            conventions,
            exclure=exclure,
            vide="Aucune convention.",
            sous_tables=(
                SousTable(
                    "signatures",
                    "Signatures",
                    cible("signatures").related_model,
                    lambda c: c.signatures.select_related("user").order_by("signed_at", "pk"),
                    exclure=frozenset({"convention"}),
                    vide="Aucune signature.",
                ),
                SousTable(
                    "documents",
                    "Documents PDF (empreintes)",
                    cible("documents").related_model,
                    lambda c: c.documents.defer("contenu").order_by("created_at", "pk"),
                    exclure=frozenset({"convention"}),
                    vide="Aucun document.",
                ),
                SousTable(
                    "historique",
                    "Historique",
                    cible("historique").related_model,
                    lambda c: c.historique.select_related("auteur").order_by("at", "pk"),
                    exclure=frozenset({"convention"}),
                    vide="Aucun changement.",
                ),
                SousTable(
                    "releves",
                    "Relevés mensuels",
                    cible("releves").related_model,
                    lambda c: c.releves.select_related("saisi_par", "confirme_par").order_by("mois", "pk"),
                    exclure=frozenset({"convention"}),
                    vide="Aucun relevé.",
                    genres={"regime": lambda regime: REGIMES_LISIBLES.get(regime, regime)},
                ),
            ),
        )
    }
