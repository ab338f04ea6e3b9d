from django.contrib import admin

from indicateurs.models import Calcul, Engagement, HistoriqueEngagement, Snapshot


class HistoriqueInline(admin.TabularInline):
    model = HistoriqueEngagement
    extra = 0
    readonly_fields = ["missions", "mission_retenue", "auteur", "created_at"]
    can_delete = False


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["relais", "annee", "mission_1", "mission_2", "mission_3", "mission_retenue"]
    list_filter = ["annee"]
    inlines = [HistoriqueInline]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["relais", "annee", "code", "numerateur", "denominateur", "valeur", "atteint", "computed_at"]
    list_filter = ["annee", "code"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Calcul)
class CalculAdmin(admin.ModelAdmin):
    list_display = ["relais", "annee", "statut", "created_at", "termine_le"]
    list_filter = ["statut"]
