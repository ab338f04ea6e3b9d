from django.contrib import admin

from audit.admin_lectures import LecturesJournaliseesAdmin
from insertion.models import AttributionAvip, ContactParcours, HistoriqueAvip, ParcoursAttentionne


class HistoriqueAvipInline(admin.TabularInline):
    model = HistoriqueAvip
    extra = 0
    can_delete = False
    readonly_fields = ["evenement", "auteur", "note", "created_at"]


@admin.register(AttributionAvip)
class AttributionAvipAdmin(LecturesJournaliseesAdmin, admin.ModelAdmin):
    list_display = ["demande", "structure", "debut", "fin", "renouvellements", "statut"]
    list_filter = ["statut", "renouvellements"]
    list_select_related = ["demande", "structure"]
    raw_id_fields = ["demande", "structure", "attribuee_par"]
    # Dates, renewals and ends go through the services (their checks and history), not the admin.
    readonly_fields = ["debut", "fin", "renouvellements", "statut", "terminaison", "terminee_le", "rappel_envoye_pour"]
    inlines = [HistoriqueAvipInline]


class ContactInline(admin.TabularInline):
    model = ContactParcours
    extra = 0
    raw_id_fields = ["auteur"]


@admin.register(ParcoursAttentionne)
class ParcoursAttentionneAdmin(LecturesJournaliseesAdmin, admin.ModelAdmin):
    list_display = ["demande", "public", "debut", "fin_prevue", "statut", "issue"]
    list_filter = ["statut", "public", "issue"]
    list_select_related = ["demande"]
    raw_id_fields = ["demande", "ouvert_par", "cloture_par"]
    readonly_fields = ["public", "debut", "fin_prevue", "statut", "cloture_le", "issue"]
    inlines = [ContactInline]
