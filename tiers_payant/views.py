from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assmats.permissions import assmats_for_user
from audit.services import Action, journaliser
from comptes.models import Role
from comptes.permissions import public, role_required
from fichiers.tableur import reponse_csv, virgule_decimale
from relais.permissions import communes_for_user, relais_for_user
from tiers_payant import selectors, services
from tiers_payant.cmg import ParametresIndisponibles
from tiers_payant.forms import ContestationForm, ConventionForm, ExportForm, MotifForm, ReleveForm, SimulateurForm
from tiers_payant.models import Convention, DocumentConvention, Statut
from tiers_payant.pdf import rendre_convention
from tiers_payant.permissions import (
    ROLES_GESTION,
    access_convention_for_user,
    access_releve_for_user,
    conventions_for_user,
    enfant_masque_pour,
    est_assmat,
    est_famille,
    parents_for_user,
)

TOUS = (Role.PARENT, Role.ASSMAT, Role.ANIMATEUR, Role.AGENT_CAF, Role.ADMIN)
GESTION = (Role.ANIMATEUR, Role.AGENT_CAF)


@public
@require_safe
def simulateur(request):
    """A GET form, so that an estimate can be bookmarked and shared; nothing is stored."""
    saisi = any(nom in request.GET for nom in SimulateurForm.base_fields)
    form = SimulateurForm(request.GET if saisi else None, aujourd_hui=timezone.localdate())
    simulation = form.simuler() if form.is_valid() else None
    return render(request, "tiers_payant/simulateur.html", {"form": form, "simulation": simulation})


@role_required(*TOUS)
@require_safe
def conventions(request):
    liste = selectors.list_conventions(conventions_for_user(request.user))
    return render(
        request,
        "tiers_payant/conventions.html",
        {
            "conventions": liste,
            "peut_preparer": request.user.role in ROLES_GESTION,
            "enfant_masque": enfant_masque_pour(request.user),
        },
    )


def _formulaire(request, data=None, initial=None, convention=None):
    user = request.user
    return ConventionForm(
        data,
        initial=initial,
        relais=relais_for_user(user),
        communes=communes_for_user(user),
        assmats=assmats_for_user(user),
        parents=parents_for_user(user),
        enfant_de=convention if convention is not None and enfant_masque_pour(user) else None,
    )


def _apercu(form):
    """The CMG estimate and the eligibility check of the typed terms, nothing saved."""
    termes = services.Termes(**form.termes_dict())
    try:
        estimation = services.estimer_cmg(termes)
    except ParametresIndisponibles as exc:
        form.add_error("date_debut", str(exc))
        return None
    brouillon = Convention(**services.asdict_shallow(termes))
    return {"cmg": estimation, "eligibilite": selectors.verifier_eligibilite(brouillon)}


def _saisie(request, template, enregistrer, initial=None, convention=None):
    form = _formulaire(request, request.POST if request.method == "POST" else None, initial, convention)
    apercu = None
    if request.method == "POST" and form.is_valid():
        if "apercu" in request.POST:
            apercu = _apercu(form)
        else:
            try:
                convention = enregistrer(services.Termes(**form.termes_dict()))
            except services.TransitionInterdite as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("tiers_payant:convention", pk=convention.pk)
    return render(request, template, {"form": form, "apercu": apercu, "convention": convention})


@role_required(*GESTION)
@require_http_methods(["GET", "POST"])
def preparer(request):
    def enregistrer(termes):
        convention = services.preparer_convention(par=request.user, termes=termes)
        messages.success(request, f"Convention {convention.reference} préparée.")
        return convention

    return _saisie(request, "tiers_payant/preparer.html", enregistrer)


@role_required(*GESTION)
@require_http_methods(["GET", "POST"])
def modifier(request, pk):
    convention = access_convention_for_user(request.user, pk)
    if not convention.modifiable:
        messages.error(request, f"Les termes d'une convention « {convention.get_statut_display()} » ne changent plus.")
        return redirect("tiers_payant:convention", pk=pk)

    def enregistrer(termes):
        modifiee = services.modifier_convention(convention_id=pk, par=request.user, termes=termes)
        messages.success(request, "Convention modifiée.")
        return modifiee

    return _saisie(
        request, "tiers_payant/preparer.html", enregistrer, ConventionForm.initial_de(convention), convention
    )


@role_required(*TOUS)
@require_safe
def convention(request, pk):
    convention = access_convention_for_user(request.user, pk)
    journaliser(request, Action.READ, convention, f"Convention {convention.reference}")
    signatures = selectors.signatures_en_vigueur(convention)
    a_signer = selectors.document_a_signer(convention)
    brouillon = convention.statut == Statut.BROUILLON
    return render(
        request,
        "tiers_payant/convention.html",
        {
            "convention": convention,
            "signatures": [(partie, signatures.get(partie)) for partie in convention.parties_attendues()],
            "actions": selectors.actions_possibles(convention, request.user),
            "a_signer": a_signer,
            "signe": selectors.document_signe(convention),
            "eligibilite": selectors.verifier_eligibilite(convention) if brouillon else None,
            "historique": convention.historique.select_related("auteur").order_by("at", "pk"),
            "enfant_masque": enfant_masque_pour(request.user),
        },
    )


def _transition(request, pk, action, succes):
    try:
        action()
    except services.ConventionIneligible as exc:
        messages.error(request, "La famille n'est pas éligible au tiers payant :")
        for motif in exc.motifs:
            messages.error(request, motif)
    except services.TransitionInterdite as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, succes)
    return redirect("tiers_payant:convention", pk=pk)


@role_required(*GESTION)
@require_POST
def envoyer(request, pk):
    def envoyer_et_dire_qui_n_est_pas_prevenu():
        convention = services.envoyer_pour_signature(convention_id=pk, par=request.user)
        _, injoignables = selectors.invites_a_signer(convention)
        if injoignables:
            messages.warning(
                request,
                "Non prévenu·e par e-mail, faute d'adresse sur le portail : "
                + ", ".join(injoignables)
                + ". Prévenez cette partie vous-même.",
            )

    return _transition(
        request,
        pk,
        envoyer_et_dire_qui_n_est_pas_prevenu,
        "Convention envoyée pour signature : chaque partie peut la signer depuis son compte ; un e-mail "
        "en donne le lien à chaque parent et à l'assistant·e maternel·le qui ont une adresse.",
    )


@role_required(Role.PARENT, Role.ASSMAT, Role.AGENT_CAF)
@require_POST
def signer(request, pk):
    empreinte = request.POST.get("empreinte", "")
    return _transition(
        request,
        pk,
        lambda: services.signer_convention(convention_id=pk, par=request.user, empreinte=empreinte),
        "Votre signature est enregistrée.",
    )


@role_required(Role.AGENT_CAF)
@require_POST
def activer(request, pk):
    return _transition(
        request, pk, lambda: services.activer_convention(convention_id=pk, par=request.user), "Convention activée."
    )


@role_required(*GESTION)
@require_POST
def terminer(request, pk):
    note = request.POST.get("note", "")
    return _transition(
        request,
        pk,
        lambda: services.terminer_convention(convention_id=pk, par=request.user, note=note),
        "Convention terminée.",
    )


@role_required(*GESTION)
@require_http_methods(["GET", "POST"])
def resilier(request, pk):
    convention = access_convention_for_user(request.user, pk)
    form = MotifForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        motif = form.cleaned_data["motif"]
        return _transition(
            request,
            pk,
            lambda: services.resilier_convention(convention_id=pk, par=request.user, motif=motif),
            "Convention résiliée.",
        )
    return render(request, "tiers_payant/resilier.html", {"form": form, "convention": convention})


@role_required(*TOUS)
@require_safe
def telecharger_pdf(request, pk):
    """The signed PDF once signed; the document under signature while it is; a draft rendered on the fly."""
    convention = access_convention_for_user(request.user, pk)
    journaliser(request, Action.READ, convention, f"PDF de la convention {convention.reference}")
    document = selectors.document_signe(convention, contenu=True) or (
        selectors.document_a_signer(convention, contenu=True) if convention.statut == Statut.ENVOYEE else None
    )
    caf = enfant_masque_pour(request.user)
    if document is None:
        suffixe = "projet"
        contenu = rendre_convention(convention, projet=convention.signee_le is None, exemplaire_caf=caf)
    else:
        suffixe = "signee" if document.nature == DocumentConvention.Nature.SIGNE else "a-signer"
        contenu = bytes(document.contenu)
        if caf:
            # The stored documents name the child: the CAF's copy is rendered from the same terms and signatures.
            signatures = selectors.signatures_en_vigueur(convention) if suffixe == "signee" else None
            contenu = rendre_convention(
                convention, signatures=signatures, exemplaire_caf=True, empreinte_originale=document.sha256
            )
    if caf:
        suffixe += "-caf"
    response = HttpResponse(contenu, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="convention-{convention.reference}-{suffixe}.pdf"'
    return response


@role_required(*TOUS)
@require_http_methods(["GET", "POST"])
def releves(request, pk):
    convention = access_convention_for_user(request.user, pk)
    if request.method == "GET":
        journaliser(request, Action.READ, convention, f"Relevés mensuels de la convention {convention.reference}")
    saisie = est_assmat(request.user, convention)
    form = None
    if saisie:
        initial = {
            "mois": services.mois_declarables(convention, timezone.localdate())[1],
            "heures": convention.heures_mensuelles,
            "salaire_horaire": convention.salaire_horaire,
            "indemnites": convention.indemnites_mensuelles,
        }
        form = ReleveForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                releve = services.declarer_releve(convention_id=pk, par=request.user, **form.cleaned_data)
            except services.SaisieRefusee as exc:
                form.add_error(exc.champ, str(exc))
            except services.TransitionInterdite as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"Relevé de {releve.mois:%m/%Y} enregistré : la famille doit maintenant le confirmer."
                )
                return redirect("tiers_payant:releves", pk=pk)
    elif request.method == "POST":
        messages.error(request, "Seul·e l'assistant·e maternel·le de la convention déclare les heures.")
        return redirect("tiers_payant:releves", pk=pk)
    return render(
        request,
        "tiers_payant/releves.html",
        {
            "convention": convention,
            "releves": selectors.list_releves(convention),
            "form": form,
            "confirmation": est_famille(request.user, convention),
        },
    )


@role_required(Role.PARENT)
@require_POST
def confirmer_releve(request, pk):
    releve = access_releve_for_user(request.user, pk)
    try:
        services.confirmer_releve(releve_id=pk, par=request.user)
    except services.TransitionInterdite as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Relevé de {releve.mois:%m/%Y} confirmé.")
    return redirect("tiers_payant:releves", pk=releve.convention_id)


@role_required(Role.PARENT)
@require_http_methods(["GET", "POST"])
def contester_releve(request, pk):
    releve = access_releve_for_user(request.user, pk)
    form = ContestationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            releve = services.contester_releve(releve_id=pk, par=request.user, motif=form.cleaned_data["motif"])
        except services.SaisieRefusee as exc:
            form.add_error(exc.champ, str(exc))
        except services.TransitionInterdite as exc:
            messages.error(request, str(exc))
            return redirect("tiers_payant:releves", pk=releve.convention_id)
        else:
            prevenu = "le relais est prévenu par e-mail et " if releve.relais_prevenu else ""
            messages.success(
                request,
                f"Relevé de {releve.mois:%m/%Y} contesté : {prevenu}l'assistant·e maternel·le peut le corriger.",
            )
            return redirect("tiers_payant:releves", pk=releve.convention_id)
    return render(request, "tiers_payant/contester.html", {"form": form, "releve": releve})


@role_required(Role.AGENT_CAF, Role.ADMIN)
@require_safe
def export_paiements(request):
    """CSV of the month's payments for the CAF: confirmed statements of the relais of its départements. The
    convention's reference identifies the child's care: the CAF pays without reading the child's name."""
    form = ExportForm(request.GET or None)
    if not form.is_valid():
        return render(request, "tiers_payant/export.html", {"form": form})
    mois = form.cleaned_data["mois"]
    journaliser(request, Action.EXPORT, "tiers_payant.paiements", f"Export CSV des paiements {mois:%Y-%m}")
    response, writer = reponse_csv(f"paiements-cmg-{mois:%Y-%m}.csv")
    writer.writerow(
        [
            "Mois",
            "Référence de la convention",
            "Relais",
            "Assistant maternel",
            "N° d'agrément",
            "Parent",
            "Heures",
            "Salaire horaire (€)",
            "Indemnités (€)",
            "Coût mensuel (€)",
            "CMG à verser (€)",
            "Reste à charge de la famille (€)",
            "Confirmé le",
        ]
    )
    for releve in selectors.paiements_du_mois(conventions_for_user(request.user), mois):
        c = releve.convention
        writer.writerow(
            [
                f"{mois:%m/%Y}",
                c.reference,
                c.relais.nom,
                str(c.assistant_maternel),
                c.numero_agrement,
                c.parent.get_full_name() or c.parent.email,
                virgule_decimale(releve.heures),
                virgule_decimale(releve.salaire_horaire),
                virgule_decimale(releve.indemnites),
                virgule_decimale(releve.cout_mensuel),
                virgule_decimale(releve.cmg),
                virgule_decimale(releve.reste_a_charge),
                f"{timezone.localtime(releve.confirme_le):%d/%m/%Y %H:%M}",
            ]
        )
    return response


@role_required(Role.ANIMATEUR, Role.AGENT_CAF, Role.ADMIN)
@require_safe
def resultats(request):
    return render(
        request, "tiers_payant/resultats.html", {"resultats": selectors.resultats(conventions_for_user(request.user))}
    )
