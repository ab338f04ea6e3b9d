from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from audit.services import Action, journaliser
from comptes.models import Role
from comptes.permissions import role_required
from orientations import selectors, services
from orientations.forms import OrientationForm
from orientations.permissions import membre_partenaire


@role_required(Role.PARTENAIRE)
def mes_orientations(request):
    return render(
        request,
        "orientations/mes_orientations.html",
        {"orientations": selectors.list_orientations_du_partenaire(request.user)},
    )


@role_required(Role.PARTENAIRE)
def orienter(request):
    try:
        partenaire = membre_partenaire(request.user).partenaire
    except PermissionDenied as exc:
        # The account exists before the admin attaches it: say what is missing rather than a bare 403.
        messages.error(request, str(exc))
        return redirect("orientations:mes_orientations")
    form = OrientationForm(request.POST or None, partenaire=partenaire)
    if request.method == "POST" and form.is_valid():
        try:
            orientation = services.orienter(par=request.user, donnees=form.donnees())
        except (
            services.ConsentementManquant,
            services.CommuneHorsTerritoire,
            services.AdresseDUnAutreCompte,
        ) as exc:
            form.add_error(None, str(exc))
        except services.DemandeEnDouble:
            form.add_error(
                None,
                "Cette famille a déjà une demande en cours pour cet enfant auprès du relais : le relais la suit "
                "déjà, inutile de l'orienter à nouveau.",
            )
        else:
            messages.success(
                request,
                f"Orientation transmise au {orientation.demande.relais.nom}. La famille reçoit un e-mail pour "
                "compléter sa demande.",
            )
            return redirect("orientations:detail", pk=orientation.pk)
    return render(request, "orientations/orienter.html", {"form": form, "partenaire": partenaire})


@role_required(Role.PARTENAIRE)
def detail(request, pk):
    orientation = selectors.get_orientation_du_partenaire(request.user, pk)
    demande = orientation.demande
    journaliser(request, Action.READ, demande, f"Orientation de la demande {demande.reference}")
    return render(
        request,
        "orientations/detail.html",
        {"orientation": orientation, "etapes": selectors.etapes_visibles(orientation)},
    )


@role_required(Role.ANIMATEUR, Role.ADMIN)
def recues(request):
    return render(
        request,
        "orientations/recues.html",
        {"orientations": selectors.list_orientations_recues(request.user)},
    )
