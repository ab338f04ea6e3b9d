from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comptes.permissions import public
from tiers_payant.forms import SimulateurForm


@public
@require_safe
def simulateur(request):
    """A GET form, so that an estimate can be bookmarked and shared; nothing is stored."""
    saisi = any(nom in request.GET for nom in SimulateurForm.base_fields)
    form = SimulateurForm(request.GET if saisi else None, aujourd_hui=timezone.localdate())
    simulation = form.simuler() if form.is_valid() else None
    return render(request, "tiers_payant/simulateur.html", {"form": form, "simulation": simulation})
