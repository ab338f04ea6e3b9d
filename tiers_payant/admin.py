from django.contrib import admin

from audit.admin_lectures import LecturesJournaliseesAdmin
from tiers_payant.models import Convention, HistoriqueConvention, ParametresEligibilite, SignatureConvention


@admin.register(ParametresEligibilite)
class ParametresEligibiliteAdmin(admin.ModelAdmin):
    list_display = ["debut", "taux_pourcent", "plafond_paje_majore", "majoration_par_enfant"]


class SignatureInline(admin.TabularInline):
    model = SignatureConvention
    extra = 0
    can_delete = False
    readonly_fields = ["partie", "user", "signed_at", "document_sha256", "annulee_le"]


class HistoriqueInline(admin.TabularInline):
    model = HistoriqueConvention
    extra = 0
    can_delete = False
    readonly_fields = ["de", "vers", "auteur", "note", "at"]


@admin.register(Convention)
class ConventionAdmin(LecturesJournaliseesAdmin, admin.ModelAdmin):
    """Read-only: a convention changes through its transitions (services), never by hand."""

    list_display = ["reference", "relais", "statut", "date_debut", "enfant_prenom"]
    list_filter = ["statut", "relais"]
    search_fields = ["reference", "enfant_prenom"]
    inlines = [SignatureInline, HistoriqueInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
