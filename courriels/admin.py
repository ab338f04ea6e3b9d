from django.contrib import admin

from courriels.models import Email


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["destinataire", "sujet", "created_at", "envoye_at", "tentatives", "abandonne_le"]
    list_filter = [("envoye_at", admin.EmptyFieldListFilter), ("abandonne_le", admin.EmptyFieldListFilter)]
    search_fields = ["destinataire", "sujet"]
