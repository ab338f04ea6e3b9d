from django.urls import path

from orientations import views

app_name = "orientations"

urlpatterns = [
    path("", views.mes_orientations, name="mes_orientations"),
    path("orienter/", views.orienter, name="orienter"),
    path("<int:pk>/", views.detail, name="detail"),
    path("recues/", views.recues, name="recues"),
]
