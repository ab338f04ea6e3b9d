"""HTTP plumbing of the indicators: département table (+ CSV), relais page, drill-down, engagement, recomputation."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.services import Action, journaliser
from comptes.models import Role
from comptes.permissions import role_required
from fichiers.tableur import reponse_csv
from indicateurs import graphiques, selectors, services
from indicateurs.calculs import PAR_CODE
from indicateurs.forms import AnneeForm, EngagementForm
from indicateurs.permissions import (
    access_calcul_for_user,
    access_departement_indicateurs,
    access_relais_indicateurs,
    relais_indicateurs_for_user,
    voit_les_noms,
)

CAF = (Role.AGENT_CAF, Role.ADMIN)
TOUS = (Role.ANIMATEUR, Role.AGENT_CAF, Role.ADMIN)


def _annee(request) -> int:
    return AnneeForm(request.GET or None).annee_ou_courante()


@role_required(*CAF)
def tableau(request):
    annee = _annee(request)
    return render(
        request,
        "indicateurs/tableau.html",
        {
            "annee": annee,
            "provisoire": selectors.est_provisoire(annee),
            "departements": selectors.groupes_par_departement(relais_indicateurs_for_user(request.user), annee),
            "indicateurs": selectors.INDICATEURS,
        },
    )


def _bloc_du_departement(request, departement, annee: int):
    """The département's block of the dashboard, alone: what its polling swaps in."""
    relais = relais_indicateurs_for_user(request.user).filter(departement=departement)
    groupes = selectors.groupes_par_departement(relais, annee)
    return render(
        request,
        "indicateurs/_departement.html",
        {"groupe": groupes[0], "annee": annee, "indicateurs": selectors.INDICATEURS},
    )


@role_required(*CAF)
def departement(request, pk):
    """The status endpoint polled while a département's run is going: a few reads, then the figures."""
    return _bloc_du_departement(request, access_departement_indicateurs(request.user, pk), _annee(request))


@role_required(*CAF)
@require_POST
def recalculer_departement(request, pk):
    annee = _annee(request)
    calcul = services.demander_calcul_du_departement(departement_id=pk, annee=annee, par=request.user)
    if request.headers.get("HX-Request"):
        return _bloc_du_departement(request, calcul.departement, annee)
    messages.info(
        request, f"Recalcul du département {calcul.departement} demandé : les chiffres seront à jour dans un instant."
    )
    return redirect(reverse("indicateurs:tableau") + f"?annee={annee}")


@role_required(*CAF)
def tableau_csv(request):
    annee = _annee(request)
    lignes = selectors.lignes_du_tableau(relais_indicateurs_for_user(request.user), annee)
    journaliser(request, Action.EXPORT, "indicateurs.tableau", f"Export CSV des indicateurs {annee}")
    provisoire = selectors.est_provisoire(annee)
    response, writer = reponse_csv(f"indicateurs-{annee}{'-provisoire' if provisoire else ''}.csv")
    entete = ["Année", "Chiffres", "Département", "Relais", "Mission retenue", "Décision", "Financement (€)"]
    for indicateur in selectors.INDICATEURS:
        entete += [
            f"{indicateur.court} : {indicateur.noms[0]}",
            f"{indicateur.court} : {indicateur.noms[1]}",
            f"{indicateur.court} : {selectors.colonne_valeur(indicateur)}",
            f"{indicateur.court} : cible",
            f"{indicateur.court} : état",
        ]
    writer.writerow(entete)
    for ligne in lignes:
        rangee = [
            annee,
            "provisoires (année en cours)" if provisoire else "définitifs",
            ligne.relais.departement.code,
            ligne.relais.nom,
            f"Mission {ligne.decision.mission}" if ligne.decision.mission else "aucune",
            ligne.decision.libelle,
            "" if ligne.decision.montant is None else ligne.decision.montant,
        ]
        for chiffre in ligne.chiffres:
            s, format_ = chiffre.snapshot, chiffre.indicateur.format
            rangee += [
                s.numerateur if s else "",
                "" if s is None or s.denominateur is None else s.denominateur,
                selectors.nombre_csv(format_, s.valeur if s else None),
                selectors.nombre_csv(format_, s.cible if s else None),
                chiffre.etat_libelle,
            ]
        writer.writerow(rangee)
    return response


def _contexte_relais(request, pk: int) -> dict:
    relais = access_relais_indicateurs(request.user, pk)
    annee = _annee(request)
    ligne = selectors.lignes_du_tableau(relais_indicateurs_for_user(request.user).filter(pk=relais.pk), annee)[0]
    m1 = next(c.snapshot for c in ligne.chiffres if c.code == "m1_demandes_en_ligne")
    graphique = None
    if m1 is not None and m1.detail.get("par_mois"):
        graphique = graphiques.tendance(annee, m1.detail["par_mois"], m1.detail["par_mois_precedent"])
    return {
        "relais": relais,
        "annee": annee,
        "ligne": ligne,
        "graphique": graphique,
        "calcul": selectors.dernier_calcul(relais, annee),
        "calcul_de_nuit": selectors.calcul_de_nuit(annee),
        "provisoire": selectors.est_provisoire(annee),
        "peut_recalculer": request.user.role in CAF,
        "changements_tardifs": selectors.changements_apres_affichage(relais, annee),
    }


@role_required(*TOUS)
def relais(request, pk):
    return render(request, "indicateurs/relais.html", _contexte_relais(request, pk))


@role_required(*TOUS)
def detail(request, pk, code):
    relais = access_relais_indicateurs(request.user, pk)
    if code not in PAR_CODE:
        raise Http404("Indicateur inconnu.")
    annee = _annee(request)
    snapshot = selectors.get_snapshot(relais, annee, code)
    avec_noms = voit_les_noms(request.user, relais)
    return render(
        request,
        "indicateurs/detail.html",
        {
            "relais": relais,
            "annee": annee,
            "indicateur": PAR_CODE[code],
            "chiffre": selectors.Chiffre(PAR_CODE[code], snapshot, selectors.est_provisoire(annee)),
            "provisoire": selectors.est_provisoire(annee),
            "snapshot": snapshot,
            "avec_noms": avec_noms,
            "numerateur": selectors.enregistrements(code, snapshot.ids_numerateur, avec_noms=avec_noms)
            if snapshot
            else [],
            "denominateur": selectors.enregistrements(code, snapshot.ids_denominateur, avec_noms=avec_noms)
            if snapshot
            else [],
            "definition": PAR_CODE[code].definition,
        },
    )


@role_required(*CAF)
def engagement(request, pk):
    relais = access_relais_indicateurs(request.user, pk)
    annee = _annee(request)
    actuel = selectors.get_engagement(relais, annee)
    if request.method == "POST":
        form = EngagementForm(request.POST)
        if form.is_valid():
            try:
                services.enregistrer_engagement(
                    relais_id=relais.pk,
                    annee=annee,
                    missions=form.cleaned_data["missions"],
                    mission_retenue=form.cleaned_data["mission_retenue"],
                    par=request.user,
                    motif=form.cleaned_data["motif"],
                )
            except services.EngagementInvalide as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Engagement enregistré.")
                return redirect(reverse("indicateurs:relais", args=[relais.pk]) + f"?annee={annee}")
    else:
        initial = {"missions": actuel.missions, "mission_retenue": actuel.mission_retenue} if actuel else {}
        form = EngagementForm(initial=initial)
    historique = actuel.historique.select_related("auteur").order_by("-created_at", "-pk") if actuel else []
    return render(
        request,
        "indicateurs/engagement.html",
        {"relais": relais, "annee": annee, "form": form, "historique": historique},
    )


@role_required(*CAF)
@require_POST
def recalculer(request, pk):
    annee = _annee(request)
    calcul = services.demander_calcul(relais_id=pk, annee=annee, par=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "indicateurs/_calcul.html", {"calcul": calcul, "relais": calcul.relais, "annee": annee})
    messages.info(request, "Recalcul demandé : les chiffres seront mis à jour dans quelques instants.")
    return redirect(reverse("indicateurs:relais", args=[pk]) + f"?annee={annee}")


@role_required(*TOUS)
def calcul(request, pk):
    calcul = access_calcul_for_user(request.user, pk)
    return render(
        request, "indicateurs/_calcul.html", {"calcul": calcul, "relais": calcul.relais, "annee": calcul.annee}
    )


@role_required(*TOUS)
def rapport_pdf(request, pk):
    from indicateurs import rapport

    contexte = _contexte_relais(request, pk)
    contenu = rapport.rendre(contexte)
    response = HttpResponse(contenu, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="indicateurs-relais-{contexte["relais"].pk}-{contexte["annee"]}.pdf"'
    )
    return response
