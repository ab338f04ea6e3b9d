from django.urls import path

from relais import views

app_name = "relais"

urlpatterns = [
    path("", views.annuaire, name="annuaire"),
    path("<int:pk>/", views.fiche, name="fiche"),
    path("<int:pk>/equipe/", views.equipe, name="equipe"),
]
