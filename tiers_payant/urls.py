from django.urls import path

from tiers_payant import views

app_name = "tiers_payant"

urlpatterns = [
    path("simulateur/", views.simulateur, name="simulateur"),
    path("conventions/", views.conventions, name="conventions"),
    path("conventions/preparer/", views.preparer, name="preparer"),
    path("conventions/<int:pk>/", views.convention, name="convention"),
    path("conventions/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("conventions/<int:pk>/envoyer/", views.envoyer, name="envoyer"),
    path("conventions/<int:pk>/signer/", views.signer, name="signer"),
    path("conventions/<int:pk>/activer/", views.activer, name="activer"),
    path("conventions/<int:pk>/terminer/", views.terminer, name="terminer"),
    path("conventions/<int:pk>/resilier/", views.resilier, name="resilier"),
    path("conventions/<int:pk>/pdf/", views.telecharger_pdf, name="pdf"),
    path("conventions/<int:pk>/releves/", views.releves, name="releves"),
    path("releves/<int:pk>/confirmer/", views.confirmer_releve, name="confirmer_releve"),
    path("releves/<int:pk>/contester/", views.contester_releve, name="contester_releve"),
    path("paiements/", views.export_paiements, name="export_paiements"),
    path("resultats/", views.resultats, name="resultats"),
]
