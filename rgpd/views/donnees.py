"""« Mes données »: what the portal holds about me, its download (JSON, PDF) and its correction."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from audit.services import Action, journaliser
from comptes.models import Role
from comptes.permissions import role_required
from demandes.permissions import demandes_for_user
from fichiers.pdf import rendre_pdf
from rgpd import export, selectors
from rgpd.forms import CorrectionForm
from tiers_payant.permissions import conventions_for_user

# Where each category is corrected on the portal, when the person may do it herself.
PAGES_DE_MODIFICATION = {
    "compte": "rgpd:corriger",
    "adresses_email": "account_email",
    "second_facteur": "mfa_index",
    "demandes": "demandes:mes_demandes",
    "brouillon": "demandes:deposer",
    "accueils_alternatifs": "formation:mes_demandes",
    "conventions": "tiers_payant:conventions",
    "fiche": "assmats:profil",
    "agrement": "assmats:agrement",
    "enfants_accueillis": "assmats:accueils",
    "disponibilites": "assmats:disponibilites",
    "sous_activite": "assmats:sous_activite",
    "souhaits_formation": "formation:mes_souhaits",
    "inscriptions_formation": "formation:mes_formations",
    "propositions_recues": "demandes:propositions_assmat",
}


def _url_si_existe(nom: str) -> str:
    """The URL, or "" while the page does not exist (account deletion is built alongside this page)."""
    try:
        return reverse(nom)
    except NoReverseMatch:
        return ""


def _nom_de_fichier(extension: str) -> str:
    return f"mes-donnees-{timezone.localdate():%Y-%m-%d}.{extension}"


@role_required(*Role)
def mes_donnees(request):
    donnees = export.donnees_de(request.user)
    categories = [
        {
            "titre": section["titre"],
            "explication": section["explication"],
            "nombre": len(section["lignes"]),
            "champs": list(section["libelles"].values()) + [st["titre"] for st in section["sous_tables"].values()],
            "modifier": _url_si_existe(PAGES_DE_MODIFICATION[cle]) if cle in PAGES_DE_MODIFICATION else "",
        }
        for cle, section in donnees["sections"].items()
    ]
    return render(
        request,
        "rgpd/mes_donnees.html",
        {
            "categories": categories,
            # Staff accounts are closed by an administrator, so the link would only lead to a refusal.
            "url_suppression": reverse("rgpd:supprimer_compte")
            if selectors.peut_supprimer_son_compte(request.user)
            else "",
            "compte_professionnel": not selectors.peut_supprimer_son_compte(request.user),
        },
    )


@role_required(*Role)
def export_json(request):
    contenu = export.en_json(export.donnees_de(request.user))
    journaliser(request, Action.EXPORT, request.user, "Export de ses données personnelles (JSON)")
    response = HttpResponse(contenu.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_nom_de_fichier("json")}"'
    return response


@role_required(*Role)
def export_pdf(request):
    donnees = export.donnees_de(request.user)
    html = render_to_string(
        "rgpd/export_pdf.html",
        {
            "personne": request.user,
            "edite_le": export.moment_lisible(donnees["genere_le"]),
            "sections": export.pour_affichage(donnees),
        },
    )
    contenu = rendre_pdf(html)
    journaliser(request, Action.EXPORT, request.user, "Export de ses données personnelles (PDF)")
    response = HttpResponse(contenu, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_nom_de_fichier("pdf")}"'
    return response


def _ailleurs(user) -> dict:
    """What the person corrects on other pages, and what only the relais can correct (and how to reach it)."""
    demandes = list(demandes_for_user(user).select_related("relais").order_by("date_depot", "pk"))
    conventions = list(conventions_for_user(user).select_related("relais").order_by("created_at", "pk"))
    relais = {d.relais.pk: d.relais for d in demandes} | {c.relais.pk: c.relais for c in conventions}
    return {
        "demandes_ouvertes": [d for d in demandes if d.est_ouverte],
        "demandes_closes": [d for d in demandes if not d.est_ouverte],
        "conventions": conventions,
        "relais": sorted(relais.values(), key=lambda r: (r.nom, r.pk)),
    }


@role_required(*Role)
def corriger(request):
    form = CorrectionForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        # The audit trail's middleware records the correction, as every write request.
        form.save()
        messages.success(request, "Vos informations sont corrigées.")
        return redirect("rgpd:mes_donnees")
    return render(request, "rgpd/corriger.html", {"form": form, **_ailleurs(request.user)})
