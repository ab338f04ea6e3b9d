"""A childminder's activity: her file, agrément, children in care, availability, under-activity, AVIP labels,
and the families the relais proposed to her."""

from datetime import date

from assmats.permissions import assmats_for_user
from comptes.models import User
from demandes.selectors import list_propositions_de_l_assmat
from rgpd.export.socle import MOIS, Calcule, SousTable, section


def _mois(jour: date | None) -> str | None:
    return jour.strftime("%Y-%m") if jour else None


def export_assmat(user: User) -> dict[str, dict]:
    """Her file, agrément, children in care, availability, under-activity reports and interviews, AVIP labels."""
    fiches = list(assmats_for_user(user).select_related("commune").order_by("pk"))
    modele = assmats_for_user(user).model
    lien = modele._meta.get_field

    def de_ses_fiches(cle: str, ordre: tuple[str, ...]) -> list:
        return [objet for fiche in fiches for objet in getattr(fiche, cle).order_by(*ordre)]

    def unique(cle: str) -> list:
        return [getattr(fiche, cle) for fiche in fiches if hasattr(fiche, cle)]

    signalements = de_ses_fiches("signalements_sous_activite", ("signale_le", "pk"))
    return {
        "fiche": section(
            "Ma fiche d'assistant·e maternel·le",
            modele,
            fiches,
            exclure={"user"},
            vide="Aucune fiche.",
            explication="Les consentements à l'affichage en ligne y figurent (« afficher mes disponibilités »).",
        ),
        "agrement": section(
            "Mon agrément",
            lien("agrement").related_model,
            unique("agrement"),
            exclure={"assistant_maternel"},
            vide="Aucun agrément enregistré.",
        ),
        # The children are third parties: their first name and birth month, as the childminder typed them, are
        # what her activity needs (free places by age band); the exact birth date stays on her own page.
        "enfants_accueillis": section(
            "Enfants accueillis",
            lien("accueils").related_model,
            de_ses_fiches("accueils", ("date_debut", "prenom_enfant", "pk")),
            exclure={"assistant_maternel", "date_naissance"},
            calcules=(
                Calcule("mois_naissance", "mois de naissance de l'enfant", lambda a: _mois(a.date_naissance), MOIS),
            ),
            vide="Aucun enfant.",
        ),
        "disponibilites": section(
            "Mes disponibilités",
            lien("disponibilite").related_model,
            unique("disponibilite"),
            exclure={"assistant_maternel"},
            vide="Aucune disponibilité déclarée.",
        ),
        "historique_affichage": section(
            "Historique de l'affichage de mes disponibilités",
            lien("historique_affichage").related_model,
            de_ses_fiches("historique_affichage", ("le", "pk")),
            exclure={"assistant_maternel"},
            vide="Aucun événement.",
            explication="Chaque consentement à l'affichage donné ou retiré, chaque déclaration ou confirmation de "
            "vos disponibilités, datés : l'indicateur d'affichage des disponibilités du relais en est tiré.",
        ),
        "sous_activite": section(
            "Sous-activité et entretiens",
            lien("signalements_sous_activite").related_model,
            signalements,
            exclure={"assistant_maternel"},
            vide="Aucun signalement de sous-activité.",
            sous_tables=(
                SousTable(
                    "entretiens",
                    "Entretiens proposés",
                    lien("signalements_sous_activite").related_model._meta.get_field("entretiens").related_model,
                    lambda s: s.entretiens.order_by("propose_le", "pk"),
                    exclure=frozenset({"signalement", "propose_par"}),
                    vide="Aucun entretien.",
                ),
            ),
        ),
        "labels_avip": section(
            "Label AVIP",
            lien("labels_avip").related_model,
            de_ses_fiches("labels_avip", ("date_debut", "pk")),
            exclure={"assistant_maternel", "accorde_par", "retire_par"},
            vide="Aucun label AVIP.",
        ),
    }


def export_propositions_recues(user: User) -> dict[str, dict]:
    """Families the relais proposed to her: the need as she saw it, never the family's identity."""
    propositions = list_propositions_de_l_assmat(user).order_by("created_at", "pk")
    return {
        "propositions_recues": section(
            "Familles proposées par le relais",
            propositions.model,
            propositions,
            exclure={"demande", "assistant_maternel", "structure", "auteur"},
            vide="Aucune famille proposée.",
            calcules=(
                Calcule("relais", "relais", lambda p: str(p.demande.relais)),
                Calcule("commune", "commune de la famille", lambda p: str(p.demande.commune)),
                Calcule("debut_souhaite", "accueil souhaité à partir du", lambda p: p.demande.date_debut_souhaitee),
            ),
        )
    }
