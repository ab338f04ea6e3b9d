"""Reads in the admin site are staff reads like any other: opening a family's request, a childminder's file or a
convention there leaves the same trace as on the portal's pages."""

from django.contrib.admin.utils import unquote

from audit.services import Action, journaliser


class LecturesJournaliseesAdmin:
    """Mixin for a ModelAdmin: each object page the admin opens (GET answered 200) is recorded as a read."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            objet = self.get_object(request, unquote(object_id))
            if objet is not None:
                journaliser(request, Action.READ, objet, "Consultation dans l'administration")
        return response
