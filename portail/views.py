from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from comptes.models import Role
from comptes.permissions import public, role_required
from portail import health, selectors
from relais import selectors as relais_selectors
from relais.permissions import relais_for_user

# Where each role lands after logging in; later capabilities re-point their role here.
ESPACE_PAR_ROLE = {
    Role.PARENT: "portail:espace_parent",
    Role.ASSMAT: "assmats:tableau",
    Role.ANIMATEUR: "portail:espace_animateur",
    Role.AGENT_CAF: "portail:espace_caf",
    Role.PARTENAIRE: "orientations:mes_orientations",
    Role.ADMIN: "portail:espace_admin",
}


@public
def accueil(request):
    return render(request, "portail/accueil.html", {"relais": relais_selectors.list_relais_publics()})


@public
def confidentialite(request):
    return render(request, "portail/confidentialite.html")


@public
def mentions_legales(request):
    return render(request, "portail/mentions_legales.html")


@public
def accessibilite(request):
    return render(request, "portail/accessibilite.html")


@role_required(*Role)
def espace(request):
    return redirect(ESPACE_PAR_ROLE[request.user.role])


@role_required(Role.PARENT)
def espace_parent(request):
    return render(request, "portail/espace_parent.html", {"relais": relais_selectors.list_relais_publics()})


@role_required(Role.ANIMATEUR)
def espace_animateur(request):
    mes_relais = list(relais_selectors.list_relais_avec_equipe(relais_for_user(request.user)))
    accueil = selectors.accueil_animateur(request.user, [r.pk for r in mes_relais], timezone.now())
    return render(request, "portail/espace_animateur.html", {"mes_relais": mes_relais, **accueil})


@role_required(Role.AGENT_CAF)
def espace_caf(request):
    return render(
        request,
        "portail/espace_caf.html",
        {
            "departements": relais_selectors.list_departements_de_l_agent(request.user),
            "mes_relais": relais_selectors.list_relais_avec_equipe(relais_for_user(request.user)),
        },
    )


@role_required(Role.ADMIN)
def espace_admin(request):
    return render(
        request,
        "portail/espace_admin.html",
        {"mes_relais": relais_selectors.list_relais_avec_equipe(relais_for_user(request.user))},
    )


@public
@never_cache
@require_GET
def healthz(request):
    database_ok, database = health.check_database()
    broker_ok, broker = health.check_broker()
    body = {
        "status": "ok" if database_ok and broker_ok else "degraded",
        "database": database,
        "broker": broker,
        "last_worker_heartbeat": health.dernier_battement() if database_ok else None,
    }
    return JsonResponse(body, status=200 if database_ok and broker_ok else 503)


def page_403(request, exception=None):
    return render(request, "403.html", status=403)


def page_404(request, exception=None):
    return render(request, "404.html", status=404)


def page_429(request, exception=None):
    """Rate limits (allauth's and django-ratelimit's): a French page, never a 403 or a 500."""
    return render(request, "429.html", status=429)


def page_500(request):
    # No context processors that touch the database: the failure may be the database.
    return render(request, "500.html", status=500)
