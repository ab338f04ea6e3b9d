from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

admin.site.site_header = "Guichet RPE – administration"
admin.site.site_title = "Guichet RPE"
admin.site.index_title = "Administration du portail"
# One login page for everyone, so that e-mail verification and lockout apply to admins too.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", include("portail.urls")),
    path("comptes/", include("allauth.urls")),
    path("compte/", include("comptes.urls")),
    path("relais/", include("relais.urls")),
    path("assmats/", include("assmats.urls")),
    path("formation/", include("formation.urls")),
    path("demandes/", include("demandes.urls")),
    path("insertion/", include("insertion.urls")),
    path("orientations/", include("orientations.urls")),
    path("tiers-payant/", include("tiers_payant.urls")),
    path("indicateurs/", include("indicateurs.urls")),
    path("journal/", include("audit.urls")),
    path("mes-donnees/", include("rgpd.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "portail.views.page_403"
handler404 = "portail.views.page_404"
# Not a Django handler: allauth's rate limits answer with it (django-ratelimit uses RATELIMIT_VIEW).
handler429 = "portail.views.page_429"
handler500 = "portail.views.page_500"
