from django.urls import path

from rgpd.views import donnees, registre, suppression

app_name = "rgpd"

urlpatterns = [
    path("", donnees.mes_donnees, name="mes_donnees"),
    path("export.json", donnees.export_json, name="export_json"),
    path("export.pdf", donnees.export_pdf, name="export_pdf"),
    path("corriger/", donnees.corriger, name="corriger"),
    path("registre/", registre.registre, name="registre"),
    path("registre.csv", registre.registre_csv, name="registre_csv"),
    path("supprimer-mon-compte/", suppression.supprimer_compte, name="supprimer_compte"),
]
