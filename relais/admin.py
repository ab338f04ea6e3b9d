from django.contrib import admin

from comptes.services import souhaiter_la_bienvenue
from relais.models import AgentCaf, Commune, CommuneDuTerritoire, Departement, Epci, MembreRelais, Relais


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "nom_caf"]
    search_fields = ["code", "nom"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["nom", "code"]
    search_fields = ["nom", "code"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["nom", "code_insee", "departement", "epci", "population", "latitude", "longitude"]
    list_filter = ["departement"]
    search_fields = ["nom", "code_insee", "codes_postaux"]
    list_select_related = ["departement", "epci"]
    autocomplete_fields = ["epci"]


class CommuneDuTerritoireInline(admin.TabularInline):
    model = CommuneDuTerritoire
    autocomplete_fields = ["commune"]
    extra = 1


class MembreRelaisInline(admin.TabularInline):
    model = MembreRelais
    autocomplete_fields = ["user"]
    extra = 1


@admin.register(Relais)
class RelaisAdmin(admin.ModelAdmin):
    list_display = ["nom", "departement", "commune_siege", "telephone", "email", "date_ouverture_guichet"]
    list_filter = ["departement"]
    search_fields = ["nom", "commune_siege__nom"]
    list_select_related = ["departement", "commune_siege"]
    autocomplete_fields = ["commune_siege"]
    inlines = [CommuneDuTerritoireInline, MembreRelaisInline]

    def save_formset(self, request, form, formset, change):
        nouveaux = [f.instance for f in formset.forms if f.instance.pk is None and f.has_changed()]
        super().save_formset(request, form, formset, change)
        for membre in nouveaux:
            if isinstance(membre, MembreRelais) and membre.pk is not None:
                souhaiter_la_bienvenue(user=membre.user)


@admin.register(CommuneDuTerritoire)
class CommuneDuTerritoireAdmin(admin.ModelAdmin):
    list_display = ["commune", "relais"]
    list_filter = ["relais"]
    search_fields = ["commune__nom", "commune__code_insee", "relais__nom"]
    list_select_related = ["commune", "relais"]
    autocomplete_fields = ["commune", "relais"]


@admin.register(MembreRelais)
class MembreRelaisAdmin(admin.ModelAdmin):
    list_display = ["user", "relais", "fonction", "created_at"]
    list_filter = ["relais"]
    search_fields = ["user__email", "user__last_name", "relais__nom"]
    list_select_related = ["user", "relais"]
    autocomplete_fields = ["user", "relais"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            souhaiter_la_bienvenue(user=obj.user)


@admin.register(AgentCaf)
class AgentCafAdmin(admin.ModelAdmin):
    list_display = ["user", "departement", "created_at"]
    list_filter = ["departement"]
    search_fields = ["user__email", "user__last_name"]
    list_select_related = ["user", "departement"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            souhaiter_la_bienvenue(user=obj.user)
