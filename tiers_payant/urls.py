from django.urls import path

from tiers_payant import views

app_name = "tiers_payant"

urlpatterns = [
    path("simulateur/", views.simulateur, name="simulateur"),
]
