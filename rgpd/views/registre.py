"""The register of processing activities (GDPR art. 30), for the portal's administrators."""

from django.shortcuts import render
from django.utils import timezone

from audit.services import Action, journaliser
from comptes.models import Role
from comptes.permissions import role_required
from fichiers.tableur import reponse_csv
from rgpd import registre as declaration


@role_required(Role.ADMIN)
def registre(request):
    return render(request, "rgpd/registre.html", {"lignes": declaration.registre(), "edite_le": timezone.now()})


@role_required(Role.ADMIN)
def registre_csv(request):
    journaliser(request, Action.EXPORT, "rgpd.registre", "Registre des traitements (CSV)")
    response, writer = reponse_csv(f"registre-des-traitements-{timezone.localdate():%Y-%m-%d}.csv")
    writer.writerows(declaration.en_lignes_csv(declaration.registre()))
    return response
