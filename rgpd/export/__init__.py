"""Everything the portal holds about one person (GDPR art. 15 and 20), as plain dicts.

One module per kind of data (the account, a parent's requests, conventions, a childminder's activity,
training), each building its sections with `rgpd.export.socle`; `formats` writes them as JSON or as readable
text. `donnees_de` puts together the parts of the person's role.
"""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from comptes.models import Role, User
from rgpd.export.assmat import export_assmat, export_propositions_recues
from rgpd.export.compte import export_compte, export_emails, export_journal
from rgpd.export.conventions import export_conventions
from rgpd.export.demandes import export_brouillon, export_demandes
from rgpd.export.formation import export_accueils_alternatifs, export_formation
from rgpd.export.formats import en_json, moment_lisible, pour_affichage, texte_lisible
from rgpd.export.insertion import export_insertion
from rgpd.export.orientations import export_orientations
from rgpd.export.socle import libelle_du_champ

__all__ = ["donnees_de", "en_json", "libelle_du_champ", "moment_lisible", "pour_affichage", "texte_lisible"]

PARTIES_PAR_ROLE: dict[str, tuple[Callable[[User], dict[str, dict]], ...]] = {
    Role.PARENT: (
        export_demandes,
        export_orientations,
        export_insertion,
        export_brouillon,
        export_accueils_alternatifs,
        export_conventions,
    ),
    Role.ASSMAT: (export_assmat, export_formation, export_propositions_recues, export_conventions),
}


def donnees_de(user: User) -> dict[str, Any]:
    """The whole export of one person. Staff accounts get their account and logins: the families' data they
    process is the relais', not theirs."""
    sections: dict[str, dict] = {}
    for partie in (export_compte, *PARTIES_PAR_ROLE.get(user.role, ()), export_emails, export_journal):
        sections |= partie(user)
    return {
        "portail": "Guichet RPE",
        "personne": user.email,
        "genere_le": timezone.now(),
        "sections": sections,
    }
