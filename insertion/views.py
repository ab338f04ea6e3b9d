"""HTTP plumbing of the team's actions on a request's AVIP place and PEPIT parcours. Every action is a POST from
the request's page (`demandes:detail`, block `insertion/_demande.html`), which it shows again with a message."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from comptes.models import Role
from comptes.permissions import role_required
from demandes.permissions import access_demande_for_user
from insertion import forms, selectors, services

RELAIS = (Role.ANIMATEUR, Role.ADMIN)


def _agir(request, pk, form, appel, succes: str):
    """Runs the service with the form's data; a refused form or action says why, in French, and changes nothing."""
    if form is not None and not form.is_valid():
        erreurs = " ".join(str(e) for liste in form.errors.values() for e in liste)
        messages.error(request, f"Action non enregistrée : {erreurs}")
    else:
        try:
            appel(form.cleaned_data if form is not None else {})
        except services.ActionRefusee as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, succes)
    return redirect("demandes:detail", pk=pk)


@role_required(*RELAIS)
@require_POST
def attribuer_avip(request, pk):
    demande = access_demande_for_user(request.user, pk)
    structures = selectors.structures_avip_for_user(request.user, relais_id=demande.relais_id)
    form = forms.AttribuerAvipForm(request.POST, prefix="avip", structures=structures)
    return _agir(
        request,
        pk,
        form,
        lambda d: services.attribuer_place_avip(
            demande_id=pk, structure_id=d["structure"].pk, debut=d["debut"], par=request.user
        ),
        "Place AVIP attribuée pour 3 mois.",
    )


@role_required(*RELAIS)
@require_POST
def renouveler_avip(request, pk):
    access_demande_for_user(request.user, pk)
    return _agir(
        request,
        pk,
        None,
        lambda _d: services.renouveler_place_avip(demande_id=pk, par=request.user),
        "Place AVIP renouvelée pour 3 mois.",
    )


@role_required(*RELAIS)
@require_POST
def terminer_avip(request, pk):
    access_demande_for_user(request.user, pk)
    return _agir(
        request,
        pk,
        forms.TerminerAvipForm(request.POST, prefix="fin_avip"),
        lambda d: services.terminer_place_avip(demande_id=pk, par=request.user, le=d["le"], motif=d["motif"]),
        "Il a été mis fin à la place AVIP.",
    )


@role_required(*RELAIS)
@require_POST
def ouvrir_parcours(request, pk):
    access_demande_for_user(request.user, pk)
    return _agir(
        request,
        pk,
        forms.OuvrirParcoursForm(request.POST, prefix="parcours"),
        lambda d: services.ouvrir_parcours(demande_id=pk, debut=d["debut"], par=request.user),
        "Parcours attentionné ouvert pour 6 mois.",
    )


@role_required(*RELAIS)
@require_POST
def noter_contact(request, pk):
    access_demande_for_user(request.user, pk)
    return _agir(
        request,
        pk,
        forms.ContactForm(request.POST, prefix="contact"),
        lambda d: services.noter_contact(demande_id=pk, par=request.user, le=d["le"], type=d["type"], note=d["note"]),
        "Contact enregistré.",
    )


@role_required(*RELAIS)
@require_POST
def cloturer_parcours(request, pk):
    access_demande_for_user(request.user, pk)
    return _agir(
        request,
        pk,
        forms.CloturerParcoursForm(request.POST, prefix="cloture"),
        lambda d: services.cloturer_parcours(
            demande_id=pk, par=request.user, le=d["le"], issue=d["issue"], note=d["note"]
        ),
        "Parcours attentionné clos.",
    )
