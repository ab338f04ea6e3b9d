from django.core.paginator import Paginator
from django.shortcuts import render

from audit import forms, selectors
from comptes.models import Role
from comptes.permissions import role_required


@role_required(Role.AGENT_CAF, Role.ADMIN)
def journal(request):
    form = forms.JournalForm(request.GET or None, types=selectors.list_types_d_objet(user=request.user))
    filtres = form.cleaned_data if form.is_valid() else {}
    entrees = selectors.list_journal(user=request.user, **{k: v for k, v in filtres.items() if v})
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
