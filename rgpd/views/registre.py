"""The register of processing activities (GDPR art. 30), for the portal's administrators."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.services import Action, journaliser
from comptes.models import Role
from comptes.permissions import role_required
from rgpd import registre as declaration


@role_required(Role.ADMIN)
def registre(request):
    return render(request, "rgpd/registre.html", {"lignes": declaration.registre(), "edite_le": timezone.now()})


@role_required(Role.ADMIN)
def registre_csv(request):
    journaliser(request, Action.EXPORT, "rgpd.registre", "Registre des traitements (CSV)")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="registre-des-traitements-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    # A byte-order mark, so that a spreadsheet opens the accents right; semicolons, as French spreadsheets expect.
    response.write("\ufeff")
    csv.writer(response, delimiter=";").writerows(declaration.en_lignes_csv(declaration.registre()))
    return response
