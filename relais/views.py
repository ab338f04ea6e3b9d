from django.shortcuts import render

from comptes.models import Role
from comptes.permissions import public, role_required
from relais import selectors
from relais.permissions import access_relais_for_user


@public
def annuaire(request):
    return render(request, "relais/annuaire.html", {"relais": selectors.list_relais_publics()})


@public
def fiche(request, pk):
    relais = selectors.get_relais_public(pk)
    return render(
        request, "relais/fiche.html", {"relais": relais, "communes": selectors.list_communes_du_territoire(relais)}
    )


@role_required(Role.ANIMATEUR, Role.AGENT_CAF, Role.ADMIN)
def equipe(request, pk):
    relais = access_relais_for_user(request.user, pk)
    membres = relais.membres.select_related("user").order_by("user__last_name", "user__first_name")
    return render(request, "relais/equipe.html", {"relais": relais, "membres": membres})
