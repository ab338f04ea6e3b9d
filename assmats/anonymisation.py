"""Anonymisation of a childminder's file (GDPR): when she deletes her account, and when her agrément
ended longer ago than the retention period (`rgpd.services` orchestrates, this module writes).

Kept, because the indicators and the offer statistics count them: the row and its id, commune, the
agrément's dates and capacities, children in care as dated places (birth month only), the availability
confirmation date and consent (retention only) and their dated history, under-activity reports and interviews
with their dates, AVIP labels.
"""

from datetime import datetime

from django.db import transaction

from assmats import cache_de_la_recherche
from assmats.models import (
    Accueil,
    Agrement,
    AssistantMaternel,
    Disponibilite,
    HistoriqueAffichage,
    SignalementSousActivite,
)
from comptes.anonymisation import MASQUE, premier_du_mois


@transaction.atomic
def anonymiser_assistant_maternel(*, assistant_maternel_id: int, maintenant: datetime, retrait: bool) -> bool:
    """Blanks a childminder's personal data. Returns False when already anonymised (nothing done).

    Blanked: first name, last name (a mask), e-mail, phone, address (the commune stays), MAM name,
    languages, pets, presentation, the comments of her availability and under-activity reports; the
    agrément number (a PMI identifier) becomes `ANONYME-<id>`; children in care keep their dates and
    places but lose their first name, and their birth date becomes its month.

    `retrait` (she deletes her account) also withdraws her consent to display her availability (an event of
    the display history, dated `maintenant`) and deletes her declaration: she offers nothing any more. The
    display history itself holds no personal data and is kept: the display indicator of a date before her
    departure gives the same figure. The retention job leaves her consent and declaration as they are.
    """
    assmat = AssistantMaternel.objects.select_for_update().get(pk=assistant_maternel_id)
    if assmat.anonymise_le is not None:
        return False
    assmat.prenom, assmat.nom = "", MASQUE
    assmat.email = assmat.telephone = assmat.adresse = assmat.nom_mam = ""
    assmat.langues = assmat.animaux = assmat.presentation = ""
    champs = ["prenom", "nom", "email", "telephone", "adresse", "nom_mam", "langues", "animaux", "presentation"]
    if retrait:
        if assmat.afficher_disponibilites:
            HistoriqueAffichage.objects.create(
                assistant_maternel=assmat, le=maintenant, affiche=False, confirmation=False
            )
        assmat.afficher_disponibilites = assmat.afficher_telephone = False
        champs += ["afficher_disponibilites", "afficher_telephone"]
        Disponibilite.objects.filter(assistant_maternel=assmat).delete()
    else:
        Disponibilite.objects.filter(assistant_maternel=assmat).update(commentaire="")
    assmat.anonymise_le = maintenant
    assmat.save(update_fields=[*champs, "anonymise_le"])
    cache_de_la_recherche.oublier()
    for agrement in Agrement.objects.filter(assistant_maternel=assmat).order_by("pk"):
        agrement.numero = f"ANONYME-{agrement.pk}"
        agrement.save(update_fields=["numero"])
    for accueil in Accueil.objects.filter(assistant_maternel=assmat).order_by("pk"):
        accueil.prenom_enfant, accueil.date_naissance = MASQUE, premier_du_mois(accueil.date_naissance)
        accueil.save(update_fields=["prenom_enfant", "date_naissance"])
    SignalementSousActivite.objects.filter(assistant_maternel=assmat).update(commentaire="")
    return True
