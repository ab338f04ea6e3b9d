from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet

from audit.admin_lectures import LecturesJournaliseesAdmin
from comptes.models import Role
from comptes.services import souhaiter_la_bienvenue
from orientations.models import MembrePartenaire, Orientation, Partenaire


class MembresFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            user = form.cleaned_data.get("user") if form.cleaned_data else None
            if user is not None and user.role != Role.PARTENAIRE:
                raise ValidationError(f"{user} n'a pas le rôle « partenaire » : changez d'abord son rôle.")


class MembrePartenaireInline(admin.TabularInline):
    model = MembrePartenaire
    formset = MembresFormSet
    autocomplete_fields = ["user"]
    extra = 1


@admin.register(Partenaire)
class PartenaireAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "created_at"]
    list_filter = ["type"]
    search_fields = ["nom"]
    filter_horizontal = ["relais"]
    inlines = [MembrePartenaireInline]

    def save_formset(self, request, form, formset, change):
        nouveaux = [f.instance for f in formset.forms if f.instance.pk is None and f.has_changed()]
        super().save_formset(request, form, formset, change)
        for membre in nouveaux:
            if isinstance(membre, MembrePartenaire) and membre.pk is not None:
                souhaiter_la_bienvenue(user=membre.user)


@admin.register(Orientation)
class OrientationAdmin(LecturesJournaliseesAdmin, admin.ModelAdmin):
    """Read only: a referral is the family's request, processed by the relais in the portal."""

    list_display = ["demande", "partenaire", "orientee_par", "consentement_le", "created_at"]
    list_filter = ["partenaire"]
    list_select_related = ["demande", "partenaire", "orientee_par"]
    search_fields = ["demande__reference", "famille_nom", "partenaire__nom"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
