from django.urls import path

from indicateurs import views

app_name = "indicateurs"

urlpatterns = [
    path("", views.tableau, name="tableau"),
    path("export.csv", views.tableau_csv, name="tableau_csv"),
    path("relais/<int:pk>/", views.relais, name="relais"),
    path("relais/<int:pk>/engagement/", views.engagement, name="engagement"),
    path("relais/<int:pk>/recalculer/", views.recalculer, name="recalculer"),
    path("relais/<int:pk>/rapport.pdf", views.rapport_pdf, name="rapport_pdf"),
    path("relais/<int:pk>/<slug:code>/", views.detail, name="detail"),
    path("calculs/<int:pk>/", views.calcul, name="calcul"),
    path("departements/<int:pk>/", views.departement, name="departement"),
    path("departements/<int:pk>/recalculer/", views.recalculer_departement, name="recalculer_departement"),
]
