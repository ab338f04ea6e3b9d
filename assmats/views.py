from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from assmats import cache_de_la_recherche, forms, selectors, services
from assmats.import_agrements import importer
from assmats.models import Accueil, AssistantMaternel, Disponibilite, ParametresOffre
from assmats.permissions import (
    access_accueil_for_user,
    access_assmat_for_user,
    access_relance_for_user,
    access_signalement_for_user,
    access_structure_for_user,
    assmats_for_user,
    fiche_de,
    profil_de,
    structures_for_user,
    sur_le_territoire_de,
    voit_les_enfants_accueillis,
)
from audit.services import Action, journaliser
from comptes.champs import identifiant
from comptes.limites import limiter
from comptes.models import Role
from comptes.pagination import page_en_une_requete
from comptes.permissions import public, role_required
from relais.permissions import access_relais_for_user, relais_for_user
from relais.selectors import communes_voisines

STAFF = (Role.ANIMATEUR, Role.AGENT_CAF, Role.ADMIN)


# --- The childminder's own space ------------------------------------------------------------


def _profil_ou_none(user):
    return fiche_de(user) or services.lier_compte(user=user)


@role_required(Role.ASSMAT)
def tableau(request):
    assmat = _profil_ou_none(request.user)
    if assmat is None:
        messages.info(request, "Commencez par renseigner votre profil.")
        return redirect("assmats:profil")
    aujourd_hui = timezone.localdate()
    disponibilite = selectors.disponibilite_de(assmat)
    en_ligne = selectors.disponibilites_affichees().filter(pk=assmat.pk).first()
    context = {
        "assmat": assmat,
        "agrement": getattr(assmat, "agrement", None),
        "aujourd_hui": aujourd_hui,
        "places": selectors.places_libres(assmat, aujourd_hui),
        "disponibilite": disponibilite,
        "affichee": en_ligne is not None,
        # The row the public search shows: her space says it in the same words.
        "en_ligne": en_ligne,
        "accueils": selectors.list_accueils_en_cours(assmat, aujourd_hui),
        "signalements": selectors.list_signalements_recents(assmat),
        "echeance": selectors.prochaine_echeance_legale(aujourd_hui),
    }
    return render(request, "assmats/tableau.html", context)


@role_required(Role.ASSMAT)
def profil(request):
    assmat = _profil_ou_none(request.user)
    if assmat is None:
        assmat = AssistantMaternel(
            user=request.user, prenom=request.user.first_name, nom=request.user.last_name, email=request.user.email
        )
    form = forms.ProfilForm(request.POST or None, instance=assmat)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_profil(assmat=form.instance)
        messages.success(request, "Votre profil est enregistré.")
        return redirect("assmats:tableau")
    return render(request, "assmats/formulaire.html", {"form": form, "titre": "Mon profil"})


@role_required(Role.ASSMAT)
def agrement(request):
    assmat = profil_de(request.user)
    form = forms.AgrementForm(request.POST or None, instance=getattr(assmat, "agrement", None))
    if request.method == "POST" and form.is_valid():
        services.enregistrer_agrement(assmat=assmat, agrement=form.instance)
        messages.success(request, "Votre agrément est enregistré.")
        return redirect("assmats:tableau")
    return render(
        request,
        "assmats/formulaire.html",
        {
            "form": form,
            "titre": "Mon agrément",
            "aide": "Recopiez les informations de la décision d'agrément de la PMI.",
        },
    )


@role_required(Role.ASSMAT)
def accueils(request):
    assmat = profil_de(request.user)
    return _formulaire_accueil(request, assmat, Accueil(assistant_maternel=assmat), "Ajouter un enfant accueilli")


@role_required(Role.ASSMAT)
def accueil_modifier(request, pk):
    accueil = access_accueil_for_user(request.user, pk)
    titre = f"Modifier l'accueil de {accueil.prenom_enfant}"
    return _formulaire_accueil(request, accueil.assistant_maternel, accueil, titre)


def _formulaire_accueil(request, assmat, accueil, titre):
    form = forms.AccueilForm(request.POST or None, instance=accueil)
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_accueil(assmat=assmat, accueil=form.instance)
        except services.ActionRefusee as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "L'accueil est enregistré.")
            return redirect("assmats:accueils")
    liste = selectors.list_accueils(assmat)
    return render(request, "assmats/accueils.html", {"form": form, "titre": titre, "accueils": liste})


@role_required(Role.ASSMAT)
@require_POST
def accueil_supprimer(request, pk):
    services.supprimer_accueil(accueil=access_accueil_for_user(request.user, pk))
    messages.success(request, "L'accueil est supprimé.")
    return redirect("assmats:accueils")


@role_required(Role.ASSMAT)
def disponibilites(request):
    assmat = profil_de(request.user)
    instance = selectors.disponibilite_de(assmat) or Disponibilite(
        assistant_maternel=assmat, a_partir_du=timezone.localdate(), jours=[0, 1, 2, 3, 4]
    )
    form = forms.DisponibiliteForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.declarer_disponibilites(disponibilite=form.instance)
        except services.ActionRefusee as exc:
            form.add_error(None, str(exc))
        else:
            if not assmat.afficher_disponibilites:
                messages.warning(
                    request,
                    "Vos disponibilités sont enregistrées, mais pas affichées : "
                    "cochez « afficher mes disponibilités en ligne » dans votre profil.",
                )
            else:
                messages.success(request, "Vos disponibilités sont enregistrées et affichées.")
            return redirect("assmats:tableau")
    libres = selectors.places_libres(assmat, timezone.localdate())
    return render(
        request,
        "assmats/formulaire.html",
        {
            "form": form,
            "titre": "Mes disponibilités",
            "aide": f"Aujourd'hui, votre agrément, les enfants que vous accueillez et ceux de vos conventions de "
            f"tiers payant laissent : {libres.phrase.lower()}. Vous ne pouvez pas en proposer davantage.",
        },
    )


@role_required(Role.ASSMAT)
def confirmer_disponibilites(request):
    assmat = profil_de(request.user)
    if request.method == "POST":
        try:
            services.confirmer_disponibilites(assmat=assmat)
        except services.ActionRefusee as exc:
            messages.error(request, str(exc))
            return redirect("assmats:disponibilites")
        messages.success(request, "Merci : vos disponibilités sont confirmées pour les familles.")
        return redirect("assmats:tableau")
    return render(request, "assmats/confirmer.html", {"assmat": assmat})


@role_required(Role.ASSMAT)
def sous_activite(request):
    assmat = profil_de(request.user)
    form = forms.SousActiviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signaler_sous_activite(assmat=assmat, **form.cleaned_data)
        except services.ActionRefusee as exc:
            form.add_error(exc.champ, str(exc))
        else:
            messages.success(request, "Votre relais est prévenu : il vous proposera un entretien.")
            return redirect("assmats:tableau")
    return render(
        request,
        "assmats/formulaire.html",
        {
            "form": form,
            "titre": "Je suis en sous-activité",
            "aide": "Le relais peut vous aider à retrouver des familles.",
        },
    )


# --- Public search ---------------------------------------------------------------------------


@public
@limiter("recherche")
def recherche(request):
    cle = cache_de_la_recherche.cle(request.GET, timezone.now())
    lu = cache_de_la_recherche.lire(cle)
    contenu = lu.contenu
    if contenu is None:
        form = forms.RechercheForm(request.GET or None)
        contenu = render_to_string("assmats/_recherche.html", _resultats_de_la_recherche(request, form))
        # A search with errors is not kept: it shows them, it is quick, and its parameters are anyone's typing.
        if not form.errors:
            cache_de_la_recherche.garder(cle, lu, contenu)
    return render(request, "assmats/recherche.html", {"contenu": contenu})


def _resultats_de_la_recherche(request, form) -> dict:
    page = structures = lignes = None
    if form.is_valid():
        parametres = ParametresOffre.courants()
        voisines: dict[int, float | None] = {}
        for commune in form.cleaned_data["communes"]:
            if form.cleaned_data["voisines"]:
                voisines.update(communes_voisines(commune, parametres.rayon_recherche_km))
            voisines[commune.pk] = 0.0
        criteres = selectors.CriteresRecherche(
            communes=voisines,
            tranche=form.cleaned_data["tranche"],
            debut=form.cleaned_data["debut"],
            atypiques=tuple(form.cleaned_data["atypiques"]),
            parametres=parametres,
        )
        page = page_en_une_requete(selectors.rechercher_disponibilites(criteres), request.GET.get("page"), 20)
        lignes = selectors.textes_de_la_recherche(page)
        structures = selectors.rechercher_structures(criteres)
    # The pages' links carry the criteria only: a cached page is served to whoever asks the same criteria.
    query = _sans_page(request, garder=cache_de_la_recherche.PARAMETRES)
    return {"form": form, "page": page, "lignes": lignes, "structures": structures, "query": query}


@public
@limiter("message_au_relais", method="POST")
def ecrire_via_le_relais(request, pk):
    assmat = selectors.get_assmat_affichee(pk)
    if assmat is None:
        raise Http404
    form = forms.ContactRelaisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            relais = services.transmettre_message_au_relais(assmat=assmat, **form.cleaned_data)
        except services.ActionRefusee as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Votre message est transmis au {relais.nom}, qui le fera suivre à {assmat.nom_public} "
                f"et vous répondra à {form.cleaned_data['email']}.",
            )
            return redirect("assmats:recherche")
    return render(request, "assmats/ecrire_via_le_relais.html", {"form": form, "assmat": assmat})


def _sans_page(request, *, garder: frozenset[str] | None = None) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    if garder is not None:
        for nom in set(query) - garder:
            query.pop(nom)
    return query.urlencode()


# --- Relais staff ----------------------------------------------------------------------------


@role_required(*STAFF)
def liste(request):
    aujourd_hui = timezone.localdate()
    form = forms.FiltreListeForm(request.GET or None)
    queryset = selectors.list_assmats_du_territoire(assmats_for_user(request.user), aujourd_hui)
    if form.is_valid():
        queryset = selectors.filtrer_liste(queryset, form.cleaned_data["filtre"], aujourd_hui)
        if q := form.cleaned_data["q"]:
            queryset = selectors.rechercher_par_nom(queryset, q)
    page = page_en_une_requete(selectors.lignes_de_la_liste(queryset), request.GET.get("page"), 50)
    mes_relais = relais_for_user(request.user).order_by("nom")
    return render(
        request,
        "assmats/liste.html",
        {
            "form": form,
            "page": page,
            "lignes": selectors.textes_de_la_liste(page, aujourd_hui),
            "mes_relais": mes_relais,
            "query": _sans_page(request),
            "aujourd_hui": aujourd_hui,
        },
    )


@role_required(*STAFF)
def fiche(request, pk):
    assmat = access_assmat_for_user(request.user, pk)
    journaliser(request, Action.READ, assmat, f"Fiche de {assmat}")
    aujourd_hui = timezone.localdate()
    context = {
        "assmat": assmat,
        "agrement": getattr(assmat, "agrement", None),
        "places": selectors.places_libres(assmat, aujourd_hui),
        "accueils": assmat.accueils.order_by("-date_debut", "pk"),
        "voit_les_enfants": voit_les_enfants_accueillis(request.user),
        "signalements": assmat.signalements_sous_activite.prefetch_related("entretiens").order_by("-signale_le"),
        "labels": assmat.labels_avip.select_related("accorde_par", "retire_par").order_by("-date_debut"),
        "avip_form": forms.LabelAvipForm(),
        "aujourd_hui": aujourd_hui,
    }
    return render(request, "assmats/fiche.html", context)


@role_required(Role.AGENT_CAF)
@require_POST
def avip(request, pk):
    form = forms.LabelAvipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez une date valide.")
        return redirect("assmats:fiche", pk=pk)
    try:
        if request.POST.get("action") == "retirer":
            services.retirer_label_avip(assmat_id=pk, par=request.user, date_fin=form.cleaned_data["date"])
        else:
            services.accorder_label_avip(assmat_id=pk, par=request.user, date_debut=form.cleaned_data["date"])
    except services.ActionRefusee as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Label AVIP mis à jour.")
    return redirect("assmats:fiche", pk=pk)


@role_required(*STAFF)
def sous_activites(request):
    return _page_sous_activites(request)


def _page_sous_activites(request, erreur_issue: dict | None = None):
    """`erreur_issue`: a refused outcome, shown beside its interview's field with the choice kept."""
    signalements = selectors.list_signalements_a_traiter(assmats_for_user(request.user))
    page = Paginator(signalements, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "issue_form": forms.IssueEntretienForm(),
        "maintenant": timezone.now(),
        "erreur_issue": erreur_issue or {"entretien": None, "message": "", "issue": ""},
    }
    return render(request, "assmats/sous_activites.html", context)


@role_required(Role.ANIMATEUR)
def proposer_entretien(request, pk):
    signalement = access_signalement_for_user(request.user, pk)
    form = forms.EntretienForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposer_entretien(signalement_id=signalement.pk, par=request.user, **form.cleaned_data)
        except services.ActionRefusee as exc:
            form.add_error("date_entretien", str(exc))
        else:
            messages.success(request, f"Entretien proposé à {signalement.assistant_maternel}.")
            return redirect("assmats:sous_activites")
    return render(
        request,
        "assmats/formulaire.html",
        {
            "form": form,
            "titre": f"Proposer un entretien à {signalement.assistant_maternel}",
            "aide": f"Sous-activité signalée le {signalement.signale_le:%d/%m/%Y} : "
            f"{signalement.places_inoccupees} place(s).",
        },
    )


@role_required(Role.ANIMATEUR)
@require_POST
def issue_entretien(request, pk):
    form = forms.IssueEntretienForm(request.POST)
    if not form.is_valid():
        message = "Choisissez une issue dans la liste."
    else:
        try:
            services.enregistrer_issue_entretien(entretien_id=pk, par=request.user, issue=form.cleaned_data["issue"])
        except services.ActionRefusee as exc:
            message = str(exc)
        else:
            messages.success(request, "Issue de l'entretien enregistrée.")
            return redirect("assmats:sous_activites")
    return _page_sous_activites(request, {"entretien": pk, "message": message, "issue": request.POST.get("issue", "")})


@role_required(Role.ANIMATEUR)
@require_POST
def relancer(request):
    """First POST: the confirmation page listing who will receive the e-mail; the confirmed POST sends it."""
    relais = access_relais_for_user(request.user, identifiant(request.POST.get("relais")) or 0)
    if request.POST.get("confirmer") != "1":
        destinataires = (
            selectors.destinataires_de_la_relance(relais).select_related("commune").order_by("nom", "prenom", "pk")
        )
        return render(
            request,
            "assmats/relancer.html",
            {"relais": relais, "destinataires": destinataires, "precedente": selectors.relance_recente(relais)},
        )
    try:
        relance = services.lancer_relance_affichage(relais=relais, par=request.user)
    except services.ActionRefusee as exc:
        messages.error(request, str(exc))
        return redirect("assmats:liste")
    return redirect("assmats:relance", pk=relance.pk)


@role_required(Role.ANIMATEUR)
def relance(request, pk):
    relance = access_relance_for_user(request.user, pk)
    template = "assmats/_relance.html" if request.headers.get("HX-Request") else "assmats/relance.html"
    return render(request, template, {"relance": relance})


def _sur_mon_territoire(request, form) -> bool:
    if sur_le_territoire_de(request.user, form.cleaned_data["commune"]):
        return True
    form.add_error("commune", "Cette commune n'est pas sur le territoire de votre relais.")
    return False


@role_required(*STAFF)
def structures(request):
    form = forms.StructureForm(request.POST or None)
    if request.method == "POST" and request.user.role == Role.ANIMATEUR and form.is_valid():
        if _sur_mon_territoire(request, form):
            structure = services.enregistrer_structure(structure=form.instance)
            messages.success(request, f"{structure} est enregistrée.")
            return redirect("assmats:structure", pk=structure.pk)
    liste_structures = selectors.list_structures(structures_for_user(request.user))
    return render(request, "assmats/structures.html", {"form": form, "structures": liste_structures})


@role_required(*STAFF)
def structure(request, pk):
    structure = access_structure_for_user(request.user, pk)
    form = forms.StructureForm(instance=structure)
    places_form = forms.DisponibiliteStructureForm(structure=structure)
    if request.method == "POST" and request.user.role == Role.ANIMATEUR:
        if "a_partir_du" in request.POST:
            places_form = forms.DisponibiliteStructureForm(request.POST, structure=structure)
            if places_form.is_valid():
                services.declarer_places_structure(
                    structure=structure, disponibilite=places_form.instance, par=request.user
                )
                messages.success(request, "Places libres enregistrées.")
                return redirect("assmats:structure", pk=pk)
        else:
            form = forms.StructureForm(request.POST, instance=structure)
            if form.is_valid() and _sur_mon_territoire(request, form):
                services.enregistrer_structure(structure=form.instance)
                messages.success(request, "Structure mise à jour.")
                return redirect("assmats:structure", pk=pk)
    disponibilites_structure = selectors.list_places_de_la_structure(structure)
    return render(
        request,
        "assmats/structure.html",
        {"structure": structure, "form": form, "places_form": places_form, "disponibilites": disponibilites_structure},
    )


@role_required(Role.ADMIN)
def import_agrements(request):
    form = forms.ImportAgrementsForm(request.POST or None, request.FILES or None)
    rapport = None
    if request.method == "POST" and form.is_valid():
        try:
            contenu = form.cleaned_data["fichier"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("fichier", "Le fichier doit être encodé en UTF-8.")
        else:
            rapport = importer(contenu, appliquer=form.cleaned_data["appliquer"])
    return render(request, "assmats/import.html", {"form": form, "rapport": rapport})
