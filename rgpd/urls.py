from django.urls import path

from rgpd.views import suppression

app_name = "rgpd"

urlpatterns = [
    path("supprimer-mon-compte/", suppression.supprimer_compte, name="supprimer_compte"),
]
