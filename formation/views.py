"""HTTP plumbing for continuing training: the childminder's wishes and trainings, the parent's request
for alternative childcare, and the relais' bodies, sessions, needs report, enrolments and requests."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assmats.permissions import profil_de
from audit.services import Action, journaliser
from comptes.champs import identifiant
from comptes.models import Role
from comptes.permissions import public, role_required
from formation import exports, forms, selectors, services
from formation.liens import enfant_du_jeton
from formation.models import DemandeAccueilAlternatif, SessionFormation
from formation.permissions import (
    ROLES_RELAIS,
    access_demande_alternative_for_user,
    access_inscription_for_user,
    access_organisme_for_user,
    access_session_for_user,
    candidats_for_user,
    demandes_alternatives_for_user,
    inscriptions_for_user,
    organismes_for_user,
    sessions_for_user,
    souhaits_for_user,
)
from relais.permissions import relais_for_user
from relais.selectors import list_relais_publics

MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre"]  # fmt: skip


def _relais_choisi(request):
    """The relais a staff page is about: `?relais=` among those the user sees, else the first one."""
    mes_relais = relais_for_user(request.user).order_by("nom", "pk")
    relais_id = request.GET.get("relais") or request.POST.get("relais")
    if relais_id:
        if identifiant(relais_id) is None:
            raise Http404
        return get_object_or_404(mes_relais, pk=identifiant(relais_id)), mes_relais
    relais = mes_relais.first()
    if relais is None:
        raise Http404("Vous n'êtes rattaché·e à aucun relais.")
    return relais, mes_relais


# --- The childminder ----------------------------------------------------------------------------------------------


@role_required(Role.ASSMAT)
def mes_souhaits(request):
    assmat = profil_de(request.user)
    form = forms.SouhaitForm(request.POST or None, initial={"commune": assmat.commune_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.exprimer_souhait(par=request.user, **form.cleaned_data)
        except services.ActionRefusee as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Votre souhait de formation est enregistré : le relais en tiendra compte.")
            return redirect("formation:mes_souhaits")
    souhaits = (
        souhaits_for_user(request.user).actifs().select_related("theme", "commune").order_by("-created_at", "pk")
    )
    return render(request, "formation/mes_souhaits.html", {"form": form, "souhaits": souhaits})


@role_required(Role.ASSMAT)
@require_POST
def retirer_souhait(request, pk):
    souhait = services.retirer_souhait(souhait_id=pk, par=request.user)
    messages.success(request, f"Le souhait « {souhait.theme} » est retiré.")
    return redirect("formation:mes_souhaits")


@role_required(Role.ASSMAT)
def sessions_proches(request):
    assmat = profil_de(request.user)
    sessions = selectors.list_sessions_proches(assmat)
    return render(
        request,
        "formation/sessions_proches.html",
        {"sessions": sessions, "assmat": assmat, "rayon": selectors.rayon_km()},
    )


@role_required(Role.ASSMAT)
@require_POST
def demander_inscription(request, pk):
    try:
        inscription = services.demander_inscription(session_id=pk, par=request.user)
    except services.ActionRefusee as exc:
        messages.error(request, str(exc))
        return redirect("formation:sessions_proches")
    messages.success(request, f"Vous êtes inscrit·e à « {inscription.session.intitule} ».")
    return redirect("formation:mes_formations")


@role_required(Role.ASSMAT)
def mes_formations(request):
    inscriptions = selectors.list_mes_inscriptions(inscriptions_for_user(request.user))
    return render(request, "formation/mes_formations.html", {"inscriptions": inscriptions})


@role_required(Role.ASSMAT)
def enfants_concernes(request, pk):
    inscription = access_inscription_for_user(request.user, pk)
    accueils = selectors.enfants_presents_pendant(inscription)
    declares = {e.accueil_id: e.email_parent for e in inscription.enfants_concernes.order_by("pk")}
    form = forms.EnfantsConcernesForm(request.POST or None, accueils=accueils, declares=declares)
    if request.method == "POST" and form.is_valid():
        enfants = [services.EnfantDeclare(accueil_id=pk_, email_parent=email) for pk_, email in form.enfants()]
        try:
            services.declarer_enfants_concernes(inscription_id=inscription.pk, par=request.user, enfants=enfants)
        except services.ActionRefusee as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Les enfants concernés sont enregistrés. Les parents dont vous avez donné l'e-mail "
                "reçoivent un lien pour demander un accueil pendant votre formation.",
            )
            return redirect("formation:mes_formations")
    return render(request, "formation/enfants_concernes.html", {"form": form, "inscription": inscription})


@role_required(Role.ASSMAT, *ROLES_RELAIS)
@require_POST
def annuler_inscription(request, pk):
    try:
        inscription = services.annuler_inscription(inscription_id=pk, par=request.user)
    except services.ActionRefusee as exc:
        messages.error(request, str(exc))
        inscription = access_inscription_for_user(request.user, pk)
    else:
        messages.success(request, "L'inscription est annulée.")
    if request.user.role == Role.ASSMAT:
        return redirect("formation:mes_formations")
    return redirect("formation:session", pk=inscription.session_id)


# --- The parent ---------------------------------------------------------------------------------------------------


@role_required(Role.PARENT)
def demande_parent(request, jeton):
    """Opened from the e-mail the childminder's declaration sent: the request comes pre-filled."""
    enfant = enfant_du_jeton(jeton)
    if deja := selectors.demande_alternative_de(enfant):
        if deja.parent_id == request.user.pk:
            return redirect("formation:mes_demandes")
        messages.info(request, f"Une demande a déjà été déposée pour {enfant.accueil.prenom_enfant}.")
        return redirect("formation:mes_demandes")
    session = enfant.inscription.session
    form = forms.DemandeParentForm(
        request.POST or None,
        initial={"date_debut": session.date_debut, "date_fin": session.date_fin, "telephone": request.user.telephone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.deposer_demande_alternative(jeton=jeton, par=request.user, **form.cleaned_data)
        except services.ActionRefusee as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Votre demande est envoyée au relais : il vous proposera une solution.")
            return redirect("formation:mes_demandes")
    return render(request, "formation/demande_parent.html", {"form": form, "enfant": enfant, "session": session})


@role_required(Role.PARENT)
def mes_demandes(request):
    demandes = selectors.list_demandes_alternatives(demandes_alternatives_for_user(request.user))
    return render(request, "formation/mes_demandes.html", {"demandes": demandes})


@role_required(Role.PARENT, *ROLES_RELAIS)
@require_POST
def repondre_proposition(request, pk):
    accepte = request.POST.get("reponse") == "acceptee"
    try:
        proposition = services.repondre_proposition(proposition_id=pk, par=request.user, accepte=accepte)
    except services.ActionRefusee as exc:
        messages.error(request, str(exc))
        return redirect("formation:mes_demandes" if request.user.role == Role.PARENT else "formation:demandes")
    messages.success(request, "Votre réponse est enregistrée." if accepte else "Votre refus est enregistré.")
    if request.user.role == Role.PARENT:
        return redirect("formation:mes_demandes")
    return redirect("formation:demande_alternative", pk=proposition.demande_id)


# --- Relais: training bodies and sessions ------------------------------------------------------------------------


@role_required(*ROLES_RELAIS)
def organismes(request):
    form = forms.OrganismeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisme = services.enregistrer_organisme(organisme=form.instance, par=request.user)
        messages.success(request, f"L'organisme « {organisme} » est enregistré.")
        return redirect("formation:organismes")
    liste = organismes_for_user(request.user).order_by("nom", "pk")
    return render(request, "formation/organismes.html", {"form": form, "organismes": liste})


@role_required(*ROLES_RELAIS)
def organisme_modifier(request, pk):
    organisme = access_organisme_for_user(request.user, pk)
    form = forms.OrganismeForm(request.POST or None, instance=organisme)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_organisme(organisme=form.instance, par=request.user)
        messages.success(request, "L'organisme est modifié.")
        return redirect("formation:organismes")
    return render(request, "formation/formulaire.html", {"form": form, "titre": f"Modifier « {organisme} »"})


@role_required(*ROLES_RELAIS)
def sessions(request):
    liste = selectors.list_sessions_du_relais(sessions_for_user(request.user))
    return render(request, "formation/sessions.html", {"sessions": liste})


@role_required(*ROLES_RELAIS)
def session_creer(request):
    return _formulaire_session(request, SessionFormation(), "Nouvelle session de formation")


@role_required(*ROLES_RELAIS)
def session_modifier(request, pk):
    session = access_session_for_user(request.user, pk)
    return _formulaire_session(request, session, f"Modifier « {session.intitule} »")


def _formulaire_session(request, session, titre):
    form = forms.SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.enregistrer_session(
                session=form.instance, par=request.user, souhaits=list(form.cleaned_data["souhaits"])
            )
        except services.ActionRefusee as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "La session est enregistrée.")
            return redirect("formation:session", pk=session.pk)
    return render(request, "formation/formulaire.html", {"form": form, "titre": titre})


@role_required(*ROLES_RELAIS)
def session(request, pk):
    return _page_session(request, pk)


def _page_session(request, pk, erreur: dict | None = None):
    """`erreur`: a refused action on an enrolment, shown on its row."""
    session = get_object_or_404(selectors.list_sessions_du_relais(sessions_for_user(request.user)), pk=pk)
    context = {
        "session": session,
        "inscriptions": selectors.list_inscriptions_de_la_session(session),
        "form": forms.InscrireForm(user=request.user),
        "souhaits": session.souhaits.select_related("assistant_maternel", "theme").order_by("pk"),
        "erreur": erreur or {"inscription": None, "message": ""},
    }
    return render(request, "formation/session.html", context)


@role_required(*ROLES_RELAIS)
@require_POST
def inscrire(request, pk):
    session = access_session_for_user(request.user, pk)
    form = forms.InscrireForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.inscrire(session_id=session.pk, assmat_id=form.cleaned_data["assmat"].pk, par=request.user)
        except services.ActionRefusee as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{form.cleaned_data['assmat']} est inscrit·e.")
    else:
        messages.error(request, "Choisissez un·e assistant·e maternel·le du territoire.")
    return redirect("formation:session", pk=session.pk)


def _transition(request, pk, service, succes):
    try:
        inscription = service(inscription_id=pk, par=request.user)
    except services.ActionRefusee as exc:
        inscription = access_inscription_for_user(request.user, pk)
        return _page_session(request, inscription.session_id, {"inscription": inscription.pk, "message": str(exc)})
    messages.success(request, succes(inscription))
    return redirect("formation:session", pk=inscription.session_id)


@role_required(*ROLES_RELAIS)
@require_POST
def marquer_partie(request, pk):
    def succes(inscription):
        if inscription.grace_au_relais:
            motifs = ", ".join(inscription.libelles_motifs())
            return f"Départ en formation enregistré, grâce à l'action du relais ({motifs})."
        return "Départ en formation enregistré (sans action du relais à l'origine)."

    return _transition(request, pk, services.marquer_partie, succes)


@role_required(*ROLES_RELAIS)
@require_POST
def marquer_suivie(request, pk):
    return _transition(request, pk, services.marquer_suivie, lambda i: "Formation suivie enregistrée.")


# --- Relais: needs report, mises en relation ---------------------------------------------------------------------

HAUTEUR_BARRE, LARGEUR_BARRES, MARGE_LIBELLES = 28, 360, 330


def _graphique(par_theme: list[dict]) -> dict:
    """Geometry of a horizontal bar chart; every bar carries its figure as text, so colour is never the only
    signal, and the same figures are in the table."""
    maximum = max((ligne["souhaits"] for ligne in par_theme), default=0)
    barres = [
        {
            "libelle": ligne["theme__libelle"],
            "valeur": ligne["souhaits"],
            "y": rang * HAUTEUR_BARRE,
            "largeur": round(LARGEUR_BARRES * ligne["souhaits"] / maximum) if maximum else 0,
        }
        for rang, ligne in enumerate(par_theme)
    ]
    return {
        "barres": barres,
        "hauteur": len(barres) * HAUTEUR_BARRE,
        "largeur": MARGE_LIBELLES + LARGEUR_BARRES + 50,
        "marge": MARGE_LIBELLES,
    }


@role_required(*ROLES_RELAIS)
def besoins(request):
    relais, mes_relais = _relais_choisi(request)
    annee = timezone.localdate().year
    context = {
        "relais": relais,
        "mes_relais": mes_relais,
        "lignes": selectors.besoins_agreges(relais),
        "graphique": _graphique(selectors.besoins_par_theme(relais)),
        "mises_en_relation": selectors.list_mises_en_relation(relais),
        "mission": selectors.mission_3(relais, annee),
    }
    return render(request, "formation/besoins.html", context)


@role_required(*ROLES_RELAIS)
def besoins_csv(request):
    relais, _ = _relais_choisi(request)
    journaliser(request, Action.EXPORT, relais, "Export CSV des besoins de formation")
    reponse = HttpResponse(
        exports.besoins_csv(selectors.besoins_agreges(relais)), content_type="text/csv; charset=utf-8"
    )
    nom = f"besoins-formation-relais-{relais.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


@role_required(*ROLES_RELAIS)
def mise_en_relation(request):
    relais, mes_relais = _relais_choisi(request)
    souhaits = (
        selectors.souhaits_du_relais(relais)
        .select_related("theme", "assistant_maternel", "commune")
        .order_by("theme__ordre", "theme__libelle", "commune__nom", "pk")
    )
    form = forms.MiseEnRelationForm(request.POST or None, souhaits=souhaits)
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_mise_en_relation(
                par=request.user,
                relais_id=relais.pk,
                organisme=form.cleaned_data["organisme"],
                date_envoi=form.cleaned_data["date_envoi"],
                souhait_ids=[s.pk for s in form.cleaned_data["souhaits"]],
                commentaire=form.cleaned_data["commentaire"],
            )
        except services.ActionRefusee as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "La mise en relation est enregistrée.")
            return redirect(f"{reverse('formation:besoins')}?relais={relais.pk}")
    return render(
        request, "formation/mise_en_relation.html", {"form": form, "relais": relais, "mes_relais": mes_relais}
    )


# --- Relais: alternative childcare -------------------------------------------------------------------------------


@role_required(*ROLES_RELAIS)
def demandes(request):
    liste = selectors.list_demandes_alternatives(demandes_alternatives_for_user(request.user))
    return render(request, "formation/demandes.html", {"demandes": liste})


@role_required(*ROLES_RELAIS)
def demande_alternative(request, pk):
    demande = access_demande_alternative_for_user(request.user, pk)
    if request.method == "GET":
        journaliser(request, Action.READ, demande, f"Demande d'accueil alternatif n° {demande.pk}")
    assmats = selectors.candidats_assmats(candidats_for_user(request.user, demande.relais_id), demande)
    structures = selectors.candidats_structures(demande)
    form = forms.PropositionForm(request.POST or None, assmats=assmats, structures=structures)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposer_accueil_alternatif(
                demande_id=demande.pk,
                par=request.user,
                type=form.cleaned_data["type"],
                assmat_id=form.cleaned_data["assmat"],
                structure_id=form.cleaned_data["structure"],
                description=form.cleaned_data["description"],
            )
        except services.ActionRefusee as exc:
            form.add_error(None, str(exc))
        else:
            if demande.email_parent:
                messages.success(request, "La proposition est enregistrée : le parent est prévenu par e-mail.")
            else:
                # No address given: nothing is sent, and the animatrice must call.
                telephone = f" ({demande.telephone_parent})" if demande.telephone_parent else ""
                messages.warning(
                    request,
                    "La proposition est enregistrée. Le parent n'a pas donné d'adresse e-mail : "
                    f"prévenez-le par téléphone{telephone}.",
                )
            return redirect("formation:demande_alternative", pk=demande.pk)
    context = {
        "demande": demande,
        "propositions": demande.propositions.select_related("assistant_maternel", "structure").order_by(
            "propose_le", "pk"
        ),
        "form": form,
        "peut_proposer": demande.statut
        in (DemandeAccueilAlternatif.Statut.NOUVELLE, DemandeAccueilAlternatif.Statut.REFUSEE),
    }
    return render(request, "formation/demande_alternative.html", context)


@role_required(*ROLES_RELAIS)
def demande_telephone(request):
    form = forms.DemandeTelephoneForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            demande = services.enregistrer_demande_telephonique(
                par=request.user,
                inscription_id=donnees.pop("inscription").pk,
                **donnees,
            )
        except services.ActionRefusee as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "La demande téléphonique est enregistrée.")
            return redirect("formation:demande_alternative", pk=demande.pk)
    return render(
        request,
        "formation/formulaire.html",
        {"form": form, "titre": "Enregistrer une demande reçue par téléphone"},
    )


# --- Calendar and ICS feed ---------------------------------------------------------------------------------------


@role_required(*ROLES_RELAIS)
def calendrier(request):
    relais, mes_relais = _relais_choisi(request)
    aujourd_hui = timezone.localdate()
    try:
        annee = int(request.GET.get("annee", aujourd_hui.year))
        mois = int(request.GET.get("mois", aujourd_hui.month))
        date(annee, mois, 1)
    except (ValueError, OverflowError):  # date() overflows past a C int rather than refusing the year
        raise Http404("Mois inconnu.") from None
    cal = selectors.calendrier_du_mois(sessions_for_user(request.user).filter(relais=relais), annee, mois)
    context = {
        "relais": relais,
        "mes_relais": mes_relais,
        "cal": cal,
        "titre_mois": f"{MOIS[mois - 1]} {annee}",
        "titre_precedent": f"{MOIS[cal.precedent.month - 1]} {cal.precedent.year}",
        "titre_suivant": f"{MOIS[cal.suivant.month - 1]} {cal.suivant.year}",
        "jours": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    }
    return render(request, "formation/calendrier.html", context)


@public
def calendrier_ics(request, pk):
    """Public on purpose: sessions are an offer meant to be advertised, the feed names no person, and calendar
    apps subscribe without a session cookie."""
    relais = get_object_or_404(list_relais_publics(), pk=pk)
    reponse = HttpResponse(
        exports.calendrier_ics(relais, selectors.list_sessions_ics(relais)),
        content_type="text/calendar; charset=utf-8",
    )
    reponse["Content-Disposition"] = f'inline; filename="formations-relais-{relais.pk}.ics"'
    return reponse
