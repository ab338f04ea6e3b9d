from django.urls import path

from insertion import views

app_name = "insertion"

# Every action acts on the request's running place or open parcours (one at most: database constraints), so
# the URLs take the request's id, checked like the request's page.
urlpatterns = [
    path("demandes/<int:pk>/avip/attribuer/", views.attribuer_avip, name="attribuer_avip"),
    path("demandes/<int:pk>/avip/renouveler/", views.renouveler_avip, name="renouveler_avip"),
    path("demandes/<int:pk>/avip/terminer/", views.terminer_avip, name="terminer_avip"),
    path("demandes/<int:pk>/pepit/ouvrir/", views.ouvrir_parcours, name="ouvrir_parcours"),
    path("demandes/<int:pk>/pepit/contact/", views.noter_contact, name="noter_contact"),
    path("demandes/<int:pk>/pepit/cloturer/", views.cloturer_parcours, name="cloturer_parcours"),
]
