from django.contrib import admin

from assmats.models import (
    Accueil,
    Agrement,
    AssistantMaternel,
    Disponibilite,
    DisponibiliteStructure,
    Entretien,
    HistoriqueAffichage,
    LabelAvip,
    ParametresOffre,
    RelanceAffichage,
    SignalementSousActivite,
    Structure,
)
from audit.admin_lectures import LecturesJournaliseesAdmin


class AgrementInline(admin.StackedInline):
    model = Agrement
    extra = 0


class AccueilInline(admin.TabularInline):
    model = Accueil
    extra = 0


class HistoriqueAffichageInline(admin.TabularInline):
    """Read only: the history is written by the services, and the database refuses any change to it."""

    model = HistoriqueAffichage
    extra = 0
    can_delete = False
    fields = readonly_fields = ["le", "affiche", "confirmation"]
    ordering = ["-le", "-pk"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AssistantMaternel)
class AssistantMaternelAdmin(LecturesJournaliseesAdmin, admin.ModelAdmin):
    list_display = ["nom", "prenom", "commune", "email", "telephone", "afficher_disponibilites", "membre_mam"]
    list_filter = ["afficher_disponibilites", "membre_mam", "commune__departement"]
    search_fields = ["nom", "prenom", "email", "agrement__numero", "commune__nom"]
    list_select_related = ["commune"]
    autocomplete_fields = ["user", "commune"]
    # Her consents are hers to give in her profile, where the display history dates them.
    readonly_fields = ["afficher_disponibilites", "afficher_telephone"]
    inlines = [AgrementInline, AccueilInline, HistoriqueAffichageInline]


@admin.register(Agrement)
class AgrementAdmin(admin.ModelAdmin):
    list_display = [
        "numero",
        "assistant_maternel",
        "date_delivrance",
        "date_fin_validite",
        "capacite_totale",
        "capacite_moins_3_ans",
    ]
    list_filter = ["date_fin_validite"]
    search_fields = ["numero", "assistant_maternel__nom"]
    list_select_related = ["assistant_maternel"]
    autocomplete_fields = ["assistant_maternel"]


@admin.register(Accueil)
class AccueilAdmin(admin.ModelAdmin):
    list_display = ["prenom_enfant", "assistant_maternel", "date_naissance", "date_debut", "date_fin"]
    search_fields = ["prenom_enfant", "assistant_maternel__nom"]
    list_select_related = ["assistant_maternel"]
    autocomplete_fields = ["assistant_maternel"]


@admin.register(Disponibilite)
class DisponibiliteAdmin(admin.ModelAdmin):
    list_display = ["assistant_maternel", "a_partir_du", "places_moins_3_ans", "places_plus_3_ans", "confirmee_le"]
    list_filter = ["confirmee_le"]
    # Declaring and confirming are the childminder's own acts, dated in the display history by the services.
    readonly_fields = ["confirmee_le"]

    def has_add_permission(self, request):
        return False

    search_fields = ["assistant_maternel__nom"]
    list_select_related = ["assistant_maternel"]
    autocomplete_fields = ["assistant_maternel"]


class EntretienInline(admin.TabularInline):
    model = Entretien
    extra = 0
    autocomplete_fields = ["propose_par"]


@admin.register(SignalementSousActivite)
class SignalementSousActiviteAdmin(admin.ModelAdmin):
    list_display = ["assistant_maternel", "depuis", "places_inoccupees", "signale_le"]
    list_filter = ["signale_le"]
    search_fields = ["assistant_maternel__nom"]
    list_select_related = ["assistant_maternel"]
    autocomplete_fields = ["assistant_maternel"]
    inlines = [EntretienInline]


@admin.register(Entretien)
class EntretienAdmin(admin.ModelAdmin):
    list_display = ["signalement", "type", "date_entretien", "propose_le", "issue"]
    list_filter = ["type", "issue"]
    list_select_related = ["signalement__assistant_maternel"]
    autocomplete_fields = ["propose_par"]
    raw_id_fields = ["signalement"]


@admin.register(LabelAvip)
class LabelAvipAdmin(admin.ModelAdmin):
    list_display = ["assistant_maternel", "date_debut", "date_fin", "accorde_par", "retire_par"]
    list_filter = ["date_fin"]
    search_fields = ["assistant_maternel__nom"]
    list_select_related = ["assistant_maternel", "accorde_par", "retire_par"]
    autocomplete_fields = ["assistant_maternel", "accorde_par", "retire_par"]


@admin.register(RelanceAffichage)
class RelanceAffichageAdmin(admin.ModelAdmin):
    list_display = ["relais", "lancee_par", "destinataires", "envoyes", "created_at", "terminee_le"]
    list_select_related = ["relais", "lancee_par"]
    readonly_fields = ["destinataires", "envoyes", "terminee_le"]


class DisponibiliteStructureInline(admin.TabularInline):
    model = DisponibiliteStructure
    extra = 0
    autocomplete_fields = ["declaree_par"]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = [
        "nom",
        "type",
        "commune",
        "places_moins_3_ans",
        "places_plus_3_ans",
        "places_insertion",
        "places_avip",
    ]
    list_filter = ["type", "commune__departement"]
    search_fields = ["nom", "gestionnaire", "commune__nom"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]
    inlines = [DisponibiliteStructureInline]


@admin.register(ParametresOffre)
class ParametresOffreAdmin(admin.ModelAdmin):
    list_display = ["mois_avant_peremption", "mois_alerte_agrement", "rayon_recherche_km"]

    def has_add_permission(self, request):
        return not ParametresOffre.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
