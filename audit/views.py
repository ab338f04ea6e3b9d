from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from audit import forms, selectors
from audit.services import Action, journaliser
from comptes.models import Role
from comptes.permissions import role_required
from fichiers.tableur import reponse_csv

COLONNES_DU_JOURNAL = [
    "Date",
    "Adresse e-mail",
    "Rôle",
    "Action",
    "Type d'objet",
    "Identifiant",
    "Description",
    "Adresse IP",
    "Chemin",
    "Navigateur",
]


def _entrees(request):
    form = forms.JournalForm(request.GET or None, types=selectors.list_types_d_objet(user=request.user))
    filtres = form.cleaned_data if form.is_valid() else {}
    return form, selectors.list_journal(user=request.user, **{k: v for k, v in filtres.items() if v})


@role_required(Role.AGENT_CAF, Role.ADMIN)
def journal(request):
    form, entrees = _entrees(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/journal.html",
        {
            "form": form,
            "page": Paginator(entrees, 50).get_page(request.GET.get("page")),
            "query": query.urlencode(),
        },
    )


@role_required(Role.AGENT_CAF, Role.ADMIN)
def journal_csv(request):
    """The filtered journal as a spreadsheet. Paths, descriptions and browsers' names come from the
    outside (a user agent is whatever the client sends): the portal's CSV writer neutralises formulas."""
    _form, entrees = _entrees(request)
    journaliser(request, Action.EXPORT, "audit.journal", f"Export CSV du journal ({request.GET.urlencode()})"[:255])
    response, writer = reponse_csv(f"journal-des-acces-{timezone.localdate():%Y-%m-%d}.csv")
    writer.writerow(COLONNES_DU_JOURNAL)
    for e in entrees.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(e.created_at).isoformat(timespec="seconds"),
                e.email,
                e.role,
                e.get_action_display(),
                e.object_type,
                e.object_id,
                e.description,
                e.ip or "",
                e.path,
                e.user_agent,
            ]
        )
    return response
