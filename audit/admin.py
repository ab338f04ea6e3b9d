from django.contrib import admin

from audit.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by the portal and never edited (the database refuses it too)."""

    list_display = ["created_at", "email", "role", "action", "object_type", "object_id", "description", "ip"]
    list_filter = ["action", "role", "object_type"]
    search_fields = ["email", "object_id", "description"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
