from django.contrib import admin

from audit.admin_lectures import LecturesJournaliseesAdmin
from demandes.models import (
    Demande,
    HistoriqueDemande,
    NotePrivee,
    ParametresClassement,
    Proposition,
    RendezVous,
)


@admin.register(ParametresClassement)
class ParametresClassementAdmin(admin.ModelAdmin):
    """The weights are published as they are here: changing one re-ranks the relais' queue at once."""

    list_display = [
        "relais",
        "poids_urgence",
        "poids_insertion",
        "poids_bas_revenus",
        "seuil_qf",
        "poids_parent_isole",
        "poids_premier_enfant",
        "poids_handicap",
        "poids_semaine_attente",
        "delai_sans_reponse_jours",
    ]
    list_select_related = ["relais"]
    search_fields = ["relais__nom"]


class HistoriqueInline(admin.TabularInline):
    model = HistoriqueDemande
    extra = 0
    can_delete = False
    readonly_fields = ["de", "vers", "auteur", "note", "created_at"]


@admin.register(Demande)
class DemandeAdmin(LecturesJournaliseesAdmin, admin.ModelAdmin):
    list_display = ["reference", "enfant_prenom", "relais", "statut", "urgence", "date_depot"]
    list_filter = ["statut", "urgence", "relais"]
    search_fields = ["reference", "parent__email", "parent__last_name", "enfant_prenom"]
    list_select_related = ["relais"]
    raw_id_fields = ["parent", "second_responsable", "prise_par", "commune"]
    readonly_fields = ["reference", "statut", "prise_par", "date_depot", "statut_modifie_at"]
    inlines = [HistoriqueInline]


admin.site.register([RendezVous, Proposition, NotePrivee])
