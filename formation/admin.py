from django.contrib import admin

from formation.models import (
    DemandeAccueilAlternatif,
    HistoriqueInscription,
    Inscription,
    MiseEnRelation,
    OrganismeFormation,
    PropositionAccueilAlternatif,
    SessionFormation,
    SouhaitFormation,
    ThemeFormation,
)


@admin.register(ThemeFormation)
class ThemeFormationAdmin(admin.ModelAdmin):
    list_display = ["libelle", "ordre", "actif"]
    list_editable = ["ordre", "actif"]
    search_fields = ["libelle"]


@admin.register(SouhaitFormation)
class SouhaitFormationAdmin(admin.ModelAdmin):
    list_display = ["assistant_maternel", "theme", "jours_preferes", "commune", "created_at", "retire_le"]
    list_filter = ["theme", "jours_preferes"]
    list_select_related = ["assistant_maternel", "theme", "commune"]
    raw_id_fields = ["assistant_maternel", "commune"]


@admin.register(OrganismeFormation)
class OrganismeFormationAdmin(admin.ModelAdmin):
    list_display = ["nom", "siret", "contact", "email", "telephone"]
    search_fields = ["nom", "siret"]


@admin.register(SessionFormation)
class SessionFormationAdmin(admin.ModelAdmin):
    list_display = ["intitule", "organisme", "relais", "theme", "date_debut", "date_fin", "capacite"]
    list_filter = ["relais", "theme"]
    list_select_related = ["organisme", "relais", "theme"]
    raw_id_fields = ["commune", "souhaits"]


class HistoriqueInline(admin.TabularInline):
    model = HistoriqueInscription
    extra = 0
    readonly_fields = ["de", "vers", "auteur", "at"]


@admin.register(Inscription)
class InscriptionAdmin(admin.ModelAdmin):
    list_display = ["assistant_maternel", "session", "statut", "grace_au_relais", "partie_le"]
    list_filter = ["statut", "grace_au_relais"]
    list_select_related = ["assistant_maternel", "session"]
    raw_id_fields = ["assistant_maternel", "session", "inscrite_par"]
    inlines = [HistoriqueInline]


@admin.register(MiseEnRelation)
class MiseEnRelationAdmin(admin.ModelAdmin):
    list_display = ["organisme", "relais", "date"]
    raw_id_fields = ["souhaits", "enregistree_par"]


class PropositionInline(admin.TabularInline):
    model = PropositionAccueilAlternatif
    extra = 0
    raw_id_fields = ["assistant_maternel", "structure", "propose_par"]


@admin.register(DemandeAccueilAlternatif)
class DemandeAccueilAlternatifAdmin(admin.ModelAdmin):
    list_display = ["prenom_enfant", "relais", "date_debut", "date_fin", "canal", "statut", "created_at"]
    list_filter = ["statut", "canal", "relais"]
    raw_id_fields = ["inscription", "enfant_concerne", "parent", "enregistree_par"]
    inlines = [PropositionInline]
