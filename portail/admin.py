from django.contrib import admin

from portail.models import BattementWorker


@admin.register(BattementWorker)
class BattementWorkerAdmin(admin.ModelAdmin):
    list_display = ["worker", "recu_at"]
    search_fields = ["worker"]
    readonly_fields = ["worker", "recu_at"]
