"""HTTP plumbing for requests: the family's form and pages, the relais' queue and actions, the public criteria."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.services import Action, journaliser
from comptes import cache
from comptes.champs import identifiant
from comptes.limites import limiter
from comptes.models import Role
from comptes.permissions import public, role_required
from demandes import besoins, forms, ics, matching, selectors, services
from demandes.models import BrouillonDemande, Demande, RendezVous
from demandes.permissions import demandes_du_perimetre_statistique, demandes_for_user, est_de_l_equipe
from fichiers.tableur import reponse_csv
from relais.permissions import communes_for_user, relais_for_user

FAMILLE_ET_RELAIS = (Role.PARENT, Role.ANIMATEUR, Role.ADMIN)
RELAIS = (Role.ANIMATEUR, Role.ADMIN)
PAR_PAGE = 25


# --- Public -----------------------------------------------------------------------------------------------------


@public
def criteres(request):
    parametres = selectors.list_parametres_publics(identifiant(request.GET.get("relais")))
    publies = [(p, selectors.criteres_publies(p)) for p in parametres]
    return render(request, "demandes/criteres.html", {"publies": publies})


# --- The family -------------------------------------------------------------------------------------------------


@role_required(Role.PARENT)
def mes_demandes(request):
    demandes = selectors.list_mes_demandes(demandes_for_user(request.user))
    brouillon = selectors.get_brouillon(request.user)
    return render(request, "demandes/mes_demandes.html", {"demandes": demandes, "brouillon": brouillon})


def _brouillon(user) -> tuple[BrouillonDemande | None, dict]:
    brouillon = selectors.get_brouillon(user)
    return brouillon, (brouillon.donnees if brouillon else {})


def _premiere_etape_a_remplir(brutes: dict) -> str:
    return next((etape for etape in forms.ETAPES if etape not in brutes), "envoi")


@role_required(Role.PARENT)
def deposer(request):
    """Starts the form, or resumes it where the parent left it."""
    _, brutes = _brouillon(request.user)
    return redirect("demandes:etape", etape=_premiere_etape_a_remplir(brutes))


@role_required(Role.PARENT)
@require_POST
def abandonner(request):
    services.abandonner_brouillon(parent=request.user)
    messages.info(request, "Le brouillon est supprimé.")
    return redirect("demandes:mes_demandes")


@role_required(Role.PARENT)
@limiter("demande", method="POST")
def etape(request, etape):
    if etape not in forms.ORDRE:
        raise Http404
    brouillon, brutes = _brouillon(request.user)
    rang = forms.ORDRE.index(etape)
    if etape == "envoi" and request.method == "POST":
        # Checked first: a replayed submission finds its request even though the draft is gone.
        return _envoi(request, brouillon, brutes)
    if (a_remplir := _premiere_etape_a_remplir(brutes)) != "envoi" and forms.ORDRE.index(a_remplir) < rang:
        return redirect("demandes:etape", etape=a_remplir)
    if etape == "envoi":
        return _envoi(request, brouillon, brutes)

    if request.method == "POST":
        form = forms.formulaire_d_etape(etape, brutes=brutes, data=request.POST, parent=request.user)
        if form.is_valid():
            donnees = forms.donnees_brutes(form, request.POST)
            if etape == "enfant" and not (brouillon and brouillon.demande_id):
                existante = services.demande_ouverte_du_meme_enfant(
                    parent=request.user,
                    enfant_prenom=form.cleaned_data["enfant_prenom"],
                    enfant_date=form.cleaned_data["enfant_date"],
                )
                if existante:
                    return _mettre_a_jour_l_existante(request, existante, {**brutes, "enfant": donnees})
            services.enregistrer_etape(parent=request.user, etape=etape, donnees=donnees)
            return redirect("demandes:etape", etape=forms.ORDRE[rang + 1])
    else:
        form = forms.formulaire_d_etape(etape, brutes=brutes, initial=brutes.get(etape), parent=request.user)
    return render(
        request,
        "demandes/etape.html",
        {
            "form": form,
            "etape": etape,
            "etapes": _progression(etape),
            "precedente": forms.ORDRE[rang - 1] if rang else None,
            "brouillon": brouillon,
        },
    )


def _progression(courante: str) -> list[dict]:
    titres = {nom: form.titre for nom, form in forms.ETAPES.items()} | {"envoi": forms.EnvoiForm.titre}
    return [{"nom": nom, "titre": titres[nom], "courante": nom == courante} for nom in forms.ORDRE]


def _mettre_a_jour_l_existante(request, demande_id: int, brutes: dict):
    """Once and only once: a second request for the same child becomes an update of the open one."""
    demande = get_object_or_404(demandes_for_user(request.user).select_related("commune"), pk=demande_id)
    nouvelles = forms.brutes_de_la_reprise(demande, brutes)
    services.commencer_modification(demande_id=demande.pk, par=request.user, donnees=nouvelles)
    second = nouvelles["famille"].get("second_responsable_email")
    messages.info(
        request,
        f"Vous avez déjà une demande en cours pour {demande.enfant_prenom} ({demande.reference}) : vos réponses, "
        "reprises de cette demande, la mettront à jour."
        + (
            f" Le second parent ({second}) y reste associé ; pour le retirer, videz ses champs à l'étape « Vous et "
            "votre commune »."
            if second
            else ""
        ),
    )
    return redirect("demandes:etape", etape="besoin")


def _envoi(request, brouillon, brutes):
    if request.method == "POST":
        form = forms.EnvoiForm(request.POST)
        if form.is_valid():
            jeton = form.cleaned_data["jeton"]
            if deja := selectors.get_demande_deposee_avec(request.user, jeton):
                # A replayed or double-clicked submission: nothing twice, same confirmation.
                return redirect("demandes:confirmation", pk=deja.pk)
            if brouillon is None or brouillon.jeton != jeton:
                messages.error(request, "Ce formulaire a expiré : vérifiez votre demande avant de l'envoyer.")
                return redirect("demandes:deposer")
            donnees, en_erreur = forms.valider_brouillon(brutes, request.user)
            if en_erreur:
                messages.error(request, "Une étape est à revoir avant l'envoi.")
                return redirect("demandes:etape", etape=en_erreur)
            return _enregistrer(request, brouillon, donnees, jeton)
    elif brouillon is None:
        return redirect("demandes:deposer")
    else:
        form = forms.EnvoiForm(initial={"jeton": brouillon.jeton})
    donnees, en_erreur = forms.valider_brouillon(brutes, request.user)
    if en_erreur:
        return redirect("demandes:etape", etape=en_erreur)
    return render(
        request,
        "demandes/envoi.html",
        {
            "form": form,
            "etape": "envoi",
            "etapes": _progression("envoi"),
            "precedente": "situation",
            "brouillon": brouillon,
            "recapitulatif": forms.recapitulatif(donnees),
        },
    )


def _enregistrer(request, brouillon, donnees, jeton):
    try:
        if brouillon.demande_id:
            demande = services.modifier(demande_id=brouillon.demande_id, par=request.user, donnees=donnees)
            messages.success(request, f"Votre demande {demande.reference} est mise à jour.")
            return redirect("demandes:detail", pk=demande.pk)
        demande = services.deposer(parent=request.user, donnees=donnees, jeton=jeton)
    except services.DemandeEnDouble as exc:
        return _mettre_a_jour_l_existante(request, exc.demande_id, brutes=brouillon.donnees)
    except services.CommuneHorsTerritoire as exc:
        messages.error(request, str(exc))
        return redirect("demandes:etape", etape="famille")
    except services.TransitionInterdite as exc:
        messages.error(request, str(exc))
        return redirect("demandes:mes_demandes")
    return redirect("demandes:confirmation", pk=demande.pk)


@role_required(Role.PARENT)
def confirmation(request, pk):
    demande = get_object_or_404(demandes_for_user(request.user).select_related("relais"), pk=pk)
    return render(request, "demandes/confirmation.html", {"demande": demande})


@role_required(Role.PARENT)
@require_POST
def modifier(request, pk):
    demande = get_object_or_404(demandes_for_user(request.user).select_related("commune"), pk=pk)
    try:
        services.commencer_modification(demande_id=pk, par=request.user, donnees=forms.brutes_de_la_demande(demande))
    except services.TransitionInterdite as exc:
        messages.error(request, str(exc))
        return redirect("demandes:detail", pk=pk)
    return redirect("demandes:etape", etape="famille")


@role_required(Role.PARENT)
def retirer(request, pk):
    demande = get_object_or_404(demandes_for_user(request.user), pk=pk)
    form = forms.MotifForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retirer(demande_id=pk, par=request.user, motif=form.cleaned_data["motif"])
        except services.TransitionInterdite as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Votre demande est retirée.")
        return redirect("demandes:detail", pk=pk)
    return render(request, "demandes/retirer.html", {"demande": demande, "form": form})


@role_required(Role.PARENT)
def invitation(request, jeton):
    try:
        demande = services.accepter_invitation(jeton=jeton, par=request.user)
    except services.InvitationRetiree:
        return render(request, "demandes/invitation_retiree.html", status=410)
    messages.success(request, f"Vous avez maintenant accès à la demande {demande.reference}.")
    return redirect("demandes:detail", pk=demande.pk)


# --- Both -------------------------------------------------------------------------------------------------------


@role_required(*FAMILLE_ET_RELAIS)
def detail(request, pk):
    return render(request, "demandes/detail.html", _contexte_du_detail(request, pk))


def _contexte_du_detail(request, pk, *, formulaire_refuse=None) -> dict:
    """The request page; `formulaire_refuse`: the relais' form that was just refused, shown again in place of its
    blank twin, with its errors beside its fields and what was typed."""
    equipe = est_de_l_equipe(request.user)
    try:
        demande = selectors.get_demande_detaillee(demandes_for_user(request.user), pk, avec_notes=equipe)
    except Demande.DoesNotExist:
        raise Http404 from None
    journaliser(request, Action.READ, demande, f"Demande {demande.reference}")
    contexte = {
        "demande": demande,
        "equipe": equipe,
        "score": selectors.detail_du_score(demande),
        "echeance": selectors.echeance_urgence(demande),
        "maintenant": timezone.now(),
        # What this person may do now, read from `Demande.TRANSITIONS`: the page shows those actions only.
        "actions": selectors.actions_possibles(demande, request.user),
        "urgence_contredite": equipe and demande.urgence_contredite(timezone.localdate()),
        "doublons": [],
        "proposition_retenue": selectors.proposition_retenue(demande),
    }
    rendez_vous = selectors.get_rendez_vous_prevu(demande)
    contexte["rdv_prevu"] = rendez_vous
    if equipe:
        contexte["doublons"] = list(selectors.list_doublons_possibles(demandes_for_user(request.user), demande))
        formulaires = {
            "form_rdv": forms.RendezVousForm(),
            "form_deplacer": forms.RendezVousForm(prefix="deplacer", initial=_valeurs_du_rendez_vous(rendez_vous)),
            "form_annulation": forms.MotifForm(prefix="annulation", visible_par_la_famille=True),
            "form_constat": forms.IssueRendezVousForm(),
            "form_proposition": forms.PropositionForm(),
            "form_solution": forms.SolutionForm(prefix="solution", propositions=demande.propositions.all()),
            "form_sans_solution": forms.MotifForm(visible_par_la_famille=True),
            "form_note": forms.NotePriveeForm(),
        }
    else:
        formulaires = {"form_deplacement": forms.DeplacementSouhaiteForm()}
    if formulaire_refuse is not None:
        for cle, vierge in formulaires.items():
            if type(vierge) is type(formulaire_refuse) and vierge.prefix == formulaire_refuse.prefix:
                formulaires[cle] = formulaire_refuse
    contexte |= formulaires
    return contexte


def _valeurs_du_rendez_vous(rendez_vous) -> dict:
    """The move form starts from the appointment as it stands."""
    if rendez_vous is None:
        return {}
    debut = timezone.localtime(rendez_vous.debut)
    return {
        "date": debut.date(),
        "heure": debut.time().replace(second=0, microsecond=0),
        "duree_minutes": rendez_vous.duree_minutes,
        "modalite": rendez_vous.modalite,
        "lieu": rendez_vous.lieu,
    }


@role_required(*FAMILLE_ET_RELAIS)
def agenda(request, pk):
    """« Ajouter à mon agenda »: the coming appointment as a calendar file (same event as the e-mailed one)."""
    demande = get_object_or_404(demandes_for_user(request.user).select_related("relais"), pk=pk)
    rendez_vous = selectors.get_rendez_vous_prevu(demande)
    if rendez_vous is None:
        messages.info(request, "Aucun rendez-vous n'est prévu pour cette demande.")
        return redirect("demandes:detail", pk=pk)
    journaliser(request, Action.READ, demande, f"Rendez-vous de la demande {demande.reference} (agenda)")
    reponse = HttpResponse(ics.a_telecharger(rendez_vous), content_type="text/calendar; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="rendez-vous-{demande.reference}.ics"'
    return reponse


@role_required(Role.PARENT)
@require_POST
def confirmer_rendez_vous(request, pk):
    return _action(
        request,
        pk,
        lambda: services.confirmer_rendez_vous(demande_id=pk, par=request.user),
        "Merci : le relais voit que vous confirmez le rendez-vous.",
    )


@role_required(Role.PARENT)
@require_POST
def deplacement_souhaite(request, pk):
    form = forms.DeplacementSouhaiteForm(request.POST)
    if not form.is_valid():
        return _formulaire_invalide(request, pk, form)
    return _action(
        request,
        pk,
        lambda: services.demander_deplacement(demande_id=pk, par=request.user, message=form.cleaned_data["message"]),
        "Votre message est envoyé par e-mail à l'animatrice qui suit votre demande : elle vous proposera une autre "
        "date.",
    )


# --- The relais -------------------------------------------------------------------------------------------------


_PK_QUELCONQUE = 987654321


def _url_de_chaque_demande(nom: str) -> str:
    """The URL of `nom` with `{}` in place of the request's id: reversed once for the queue's 25 rows."""
    return reverse(nom, args=[_PK_QUELCONQUE]).replace(str(_PK_QUELCONQUE), "{}")


@role_required(*RELAIS)
def file(request):
    maintenant = timezone.now()
    cle = selectors.cle_de_la_file(request.user, request.GET.urlencode(), maintenant)
    contenu = cache.lire(cle)
    if contenu is None:
        contenu = _contenu_de_la_file(request, maintenant)
        cache.ecrire(cle, contenu, settings.FILE_D_ATTENTE_CACHE_SECONDES)
    # The CSRF token stays out of the cached content: the rows' buttons submit this one form (form="…").
    return render(request, "demandes/file.html", {"contenu": contenu})


def _contenu_de_la_file(request, maintenant) -> str:
    # The filters show names only: two narrow reads.
    mes_relais = list(relais_for_user(request.user).order_by("nom").only("pk", "nom"))
    communes = communes_for_user(request.user).order_by("nom", "pk").only("pk", "nom")
    filtres_form = forms.FiltresFileForm(request.GET or None, relais=mes_relais, communes=communes, user=request.user)
    filtres = filtres_form.filtres()
    file_classee = selectors.list_file_d_attente(
        demandes_for_user(request.user),
        filtres,
        maintenant,
        seul_relais=mes_relais[0].pk if len(mes_relais) == 1 else None,
    )
    page, demandes = selectors.page_de_la_file(file_classee, request.GET.get("page"), PAR_PAGE, maintenant)
    lignes = selectors.lignes_de_la_file(demandes, maintenant)
    detail, prendre = _url_de_chaque_demande("demandes:detail"), _url_de_chaque_demande("demandes:prendre")
    for ligne in lignes:
        pk = ligne["demande"].pk
        ligne["url"] = detail.format(pk)
        ligne["url_prendre"] = prendre.format(pk) if ligne["a_prendre"] else ""
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render_to_string(
        "demandes/_file.html",
        {
            "filtres": filtres_form,
            "page": page,
            "lignes": lignes,
            "parametres": parametres.urlencode(),
            "plusieurs_relais": len(mes_relais) > 1,
            "closes": filtres.closes,
            "tri": "" if filtres.tri == "score" else selectors.TRIS[filtres.tri],
        },
    )


@role_required(*RELAIS)
def saisir(request):
    """A request received by phone or at the desk, typed by the relais for the family."""
    formulaires, brutes = forms.saisie_du_relais(request.POST if request.method == "POST" else None)
    if request.method == "POST" and all(f.is_valid() for f in formulaires.values()):
        donnees, _en_erreur = forms.valider_brouillon(brutes, parent=None)
        qui = formulaires["qui"].cleaned_data
        try:
            demande = services.saisir_pour_une_famille(
                par=request.user,
                prenom=qui["prenom"],
                nom=qui["nom"],
                email=qui["email"],
                source=qui["source"],
                donnees=donnees,
            )
        except services.DemandeEnDouble as exc:
            formulaires["enfant"].add_error(
                None,
                "Cette famille a déjà une demande ouverte pour cet enfant : "
                f"{selectors.get_reference(exc.demande_id)}.",
            )
        except (services.CommuneHorsTerritoire, services.AdresseDUnAutreCompte) as exc:
            formulaires["famille" if isinstance(exc, services.CommuneHorsTerritoire) else "qui"].add_error(
                "commune" if isinstance(exc, services.CommuneHorsTerritoire) else "email", str(exc)
            )
        else:
            messages.success(
                request, f"Demande {demande.reference} enregistrée ; la famille en reçoit la confirmation."
            )
            return redirect("demandes:detail", pk=demande.pk)
    return render(request, "demandes/saisie.html", {"formulaires": formulaires})


def _action(request, pk, appel, succes):
    """Runs a transition and reports its outcome; the page shows the request again either way."""
    try:
        appel()
    except services.TransitionInterdite as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, succes)
    return redirect("demandes:detail", pk=pk)


def _formulaire_invalide(request, pk, form):
    """The same page again, not a redirect that would empty the form: each error beside its field, input kept."""
    messages.error(request, "Action non enregistrée : corrigez ce qui est signalé dans le formulaire.")
    return render(request, "demandes/detail.html", _contexte_du_detail(request, pk, formulaire_refuse=form))


@role_required(*RELAIS)
@require_POST
def prendre(request, pk):
    return _action(
        request, pk, lambda: services.prendre_en_charge(demande_id=pk, par=request.user), "Demande prise en charge."
    )


def _creneau(form: forms.RendezVousForm) -> dict:
    """The slot a valid appointment form describes, as the proposing and moving services take it."""
    d = form.cleaned_data
    return {"debut": d["debut"], "modalite": d["modalite"], "lieu": d["lieu"], "duree_minutes": d["duree_minutes"]}


@role_required(*RELAIS)
@require_POST
def rendez_vous(request, pk):
    form = forms.RendezVousForm(request.POST)
    if not form.is_valid():
        return _formulaire_invalide(request, pk, form)
    return _action(
        request,
        pk,
        lambda: services.proposer_rendez_vous(demande_id=pk, par=request.user, **_creneau(form)),
        "Rendez-vous proposé : la famille le reçoit par e-mail.",
    )


@role_required(*RELAIS)
@require_POST
def deplacer_rendez_vous(request, pk):
    form = forms.RendezVousForm(request.POST, prefix="deplacer")
    if not form.is_valid():
        return _formulaire_invalide(request, pk, form)
    return _action(
        request,
        pk,
        lambda: services.deplacer_rendez_vous(demande_id=pk, par=request.user, **_creneau(form)),
        "Rendez-vous déplacé : la famille reçoit par e-mail l'invitation mise à jour.",
    )


@role_required(*RELAIS)
@require_POST
def annuler_rendez_vous(request, pk):
    form = forms.MotifForm(request.POST, prefix="annulation", visible_par_la_famille=True)
    if not form.is_valid():
        return _formulaire_invalide(request, pk, form)
    return _action(
        request,
        pk,
        lambda: services.annuler_rendez_vous(demande_id=pk, par=request.user, motif=form.cleaned_data["motif"]),
        "Rendez-vous annulé : la famille en est prévenue par e-mail. Vous pouvez lui en proposer un autre.",
    )


ISSUES = {
    RendezVous.Statut.REALISE: (services.noter_rendez_vous_realise, "Rendez-vous noté comme réalisé."),
    RendezVous.Statut.FAMILLE_ABSENTE: (
        services.noter_famille_absente,
        "Absence de la famille notée : la demande reste ouverte, proposez-lui un autre rendez-vous.",
    ),
}


@role_required(*RELAIS)
@require_POST
def constater(request, pk):
    form = forms.IssueRendezVousForm(request.POST)
    if not form.is_valid():
        return _formulaire_invalide(request, pk, form)
    noter, succes = ISSUES[form.cleaned_data["issue"]]
    return _action(request, pk, lambda: noter(demande_id=pk, par=request.user, note=form.cleaned_data["note"]), succes)


@role_required(*RELAIS)
@require_POST
def proposition(request, pk):
    form = forms.PropositionForm(request.POST)
    if not form.is_valid():
        return _formulaire_invalide(request, pk, form)
    return _action(
        request,
        pk,
        lambda: services.enregistrer_proposition(demande_id=pk, par=request.user, **form.cleaned_data),
        "Proposition enregistrée : la famille en est informée.",
    )


@role_required(*RELAIS)
@require_POST
def solution(request, pk):
    propositions = selectors.list_propositions_de_la_demande(demandes_for_user(request.user), pk)
    form = forms.SolutionForm(request.POST, prefix="solution", propositions=propositions)
    if not form.is_valid():
        return _formulaire_invalide(request, pk, form)
    return _action(
        request,
        pk,
        lambda: services.enregistrer_solution(demande_id=pk, par=request.user, **form.cleaned_data),
        "Solution enregistrée : la famille en est prévenue par e-mail.",
    )


@role_required(*RELAIS)
@require_POST
def sans_solution(request, pk):
    form = forms.MotifForm(request.POST, visible_par_la_famille=True)
    if not form.is_valid():
        return _formulaire_invalide(request, pk, form)
    return _action(
        request,
        pk,
        lambda: services.declarer_sans_solution(demande_id=pk, par=request.user, motif=form.cleaned_data["motif"]),
        "Demande déclarée sans solution.",
    )


@role_required(*RELAIS)
@require_POST
def note(request, pk):
    form = forms.NotePriveeForm(request.POST)
    if not form.is_valid():
        return _formulaire_invalide(request, pk, form)
    return _action(
        request,
        pk,
        lambda: services.ajouter_note_privee(demande_id=pk, par=request.user, texte=form.cleaned_data["texte"]),
        "Note ajoutée.",
    )


# --- Matching with the offer --------------------------------------------------------------------------------


@role_required(*RELAIS)
def mise_en_relation(request, pk):
    demande = get_object_or_404(demandes_for_user(request.user).select_related("commune__epci", "relais"), pk=pk)
    journaliser(request, Action.READ, demande, f"Mise en relation de la demande {demande.reference}")
    return render(
        request,
        "demandes/mise_en_relation.html",
        {
            "demande": demande,
            "candidats": matching.candidats(demande),
            "structures": matching.structures(demande),
            "date_de_recherche": matching.date_de_recherche(demande),
            "urgence_contredite": demande.urgence_contredite(timezone.localdate()),
            "deja_proposes": set(demande.propositions.values_list("assistant_maternel_id", flat=True)),
            "peut_proposer": "enregistrer_proposition" in selectors.actions_possibles(demande, request.user),
            "insertion": matching.famille_en_insertion(demande),
        },
    )


@role_required(*RELAIS)
@require_POST
def proposer_offre(request, pk):
    form = forms.PropositionOffreForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un·e assistant·e maternel·le ou une structure de la liste.")
        return redirect("demandes:mise_en_relation", pk=pk)
    try:
        proposition = services.enregistrer_proposition(demande_id=pk, par=request.user, mode="", **form.cleaned_data)
    except services.TransitionInterdite as exc:
        messages.error(request, str(exc))
        return redirect("demandes:mise_en_relation", pk=pk)
    _annoncer_proposition(request, proposition)
    return redirect("demandes:detail", pk=pk)


def _annoncer_proposition(request, proposition) -> None:
    """Says who was e-mailed: the family always (its account has an address), the childminder only when she gave
    one, so that the animatrice knows whom she still has to call."""
    assmat = proposition.assistant_maternel
    if assmat is None:
        messages.success(request, "Proposition enregistrée : la famille est prévenue par e-mail.")
    elif assmat.email:
        messages.success(
            request, "Proposition enregistrée : la famille et l'assistant·e maternel·le sont prévenues par e-mail."
        )
    else:
        telephone = f" au {assmat.telephone}" if assmat.telephone else ""
        messages.warning(
            request,
            f"Proposition enregistrée : la famille est prévenue par e-mail. {assmat} n'a pas d'adresse e-mail : "
            f"appelez-la{telephone}.",
        )


@role_required(Role.ASSMAT)
def propositions_assmat(request):
    propositions = list(selectors.list_propositions_de_l_assmat(request.user))
    # The buttons follow the request's declared moves, as on the request's page, not a restated list of statuses.
    a_repondre = {
        p.pk
        for p in propositions
        if not p.reponse_assmat and "repondre_proposition" in selectors.actions_possibles(p.demande, request.user)
    }
    return render(
        request, "demandes/propositions_assmat.html", {"propositions": propositions, "a_repondre": a_repondre}
    )


@role_required(Role.ASSMAT)
@require_POST
def repondre_proposition(request, pk):
    try:
        services.repondre_proposition(
            proposition_id=pk, par=request.user, accepte=request.POST.get("reponse") == "oui"
        )
    except services.TransitionInterdite as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Votre réponse est transmise au relais et à la famille.")
    return redirect("demandes:propositions_assmat")


# --- Unmet needs ----------------------------------------------------------------------------------------------


def _besoins(request):
    # Unbound, the form still shows the year the page is about.
    form = forms.AnneeForm(request.GET or None, initial={"annee": timezone.localdate().year})
    annee = form.cleaned_data["annee"] if form.is_valid() else timezone.localdate().year
    lignes = besoins.besoins_non_satisfaits(
        demandes_du_perimetre_statistique(request.user), annee, timezone.localdate()
    )
    return form, annee, lignes


@role_required(Role.ANIMATEUR, Role.AGENT_CAF, Role.ADMIN)
def besoins_non_satisfaits(request):
    form, annee, lignes = _besoins(request)
    return render(
        request,
        "demandes/besoins.html",
        {
            "form": form,
            "annee": annee,
            "lignes": lignes,
            "graphique": besoins.graphique(lignes),
            "seuil": settings.STATS_SMALL_CELL_THRESHOLD,
            "query": request.GET.urlencode(),
        },
    )


@role_required(Role.ANIMATEUR, Role.AGENT_CAF, Role.ADMIN)
def besoins_non_satisfaits_csv(request):
    _form, annee, lignes = _besoins(request)
    journaliser(
        request, Action.EXPORT, "demandes.besoins_non_satisfaits", f"Export CSV {annee} ({request.GET.urlencode()})"
    )
    response, writer = reponse_csv(f"besoins-non-satisfaits-{annee}.csv")
    writer.writerow(["commune", "tranche d'âge", "horaires", "demandes sans solution", "places libres déclarées"])
    for ligne in lignes:
        writer.writerow(
            [ligne.commune, ligne.libelle_tranche, ligne.horaires, ligne.sans_solution_publie, ligne.places_declarees]
        )
    return response
