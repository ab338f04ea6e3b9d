from django.urls import path

from portail import views

app_name = "portail"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("confidentialite/", views.confidentialite, name="confidentialite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("espace/", views.espace, name="espace"),
    path("espace/parent/", views.espace_parent, name="espace_parent"),
    path("espace/relais/", views.espace_animateur, name="espace_animateur"),
    path("espace/caf/", views.espace_caf, name="espace_caf"),
    path("espace/admin/", views.espace_admin, name="espace_admin"),
    path("healthz", views.healthz, name="healthz"),
]
