"""Account deletion by the person herself (parents and childminders): anonymisation, then logout."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from audit.services import Action, journaliser
from comptes.models import Role
from comptes.permissions import role_required
from rgpd import selectors, services
from rgpd.forms_suppression import ConfirmationSuppressionForm


def _conventions_conservees(user) -> list[dict]:
    """Each kept convention with the date until which it is kept, when it is already known."""
    annees = settings.RGPD_CONSERVATION["convention_terminee_ans"]
    return [
        {
            "convention": convention,
            "jusqu_au": convention.date_fin_effective + relativedelta(years=annees)
            if convention.date_fin_effective
            else None,
        }
        for convention in selectors.conventions_conservees(user, timezone.now())
    ]


@role_required(Role.PARENT, Role.ASSMAT)
def supprimer_compte(request):
    form = ConfirmationSuppressionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                bilan = services.supprimer_compte(user=request.user)
                request.user.refresh_from_db()
                journaliser(request, Action.DELETE, request.user, "Suppression du compte (anonymisation)")
        except services.SuppressionInterdite as exc:
            messages.error(request, str(exc))
            return redirect("portail:accueil")
        logout(request)
        message = "Votre compte est supprimé et vos données personnelles ont été effacées."
        if bilan.conventions_conservees:
            message += (
                " Les conventions de tiers payant signées sont conservées pendant la durée légale, puis anonymisées."
            )
        messages.success(request, message)
        return redirect("portail:accueil")
    return render(
        request,
        "rgpd/supprimer_compte.html",
        {
            "form": form,
            "demandes_en_cours": selectors.demandes_en_cours_du_parent(request.user).count(),
            "fiche": selectors.fiche_assistant_maternel(request.user),
            "conventions_conservees": _conventions_conservees(request.user),
            "conservation": settings.RGPD_CONSERVATION,
        },
    )
