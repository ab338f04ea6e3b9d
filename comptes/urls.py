from django.urls import path

from comptes import views

app_name = "comptes"

urlpatterns = [
    path("profil/", views.profil, name="profil"),
]
