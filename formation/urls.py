from django.urls import path

from formation import views

app_name = "formation"

urlpatterns = [
    # The childminder
    path("mes-souhaits/", views.mes_souhaits, name="mes_souhaits"),
    path("mes-souhaits/<int:pk>/retirer/", views.retirer_souhait, name="retirer_souhait"),
    path("sessions-proches/", views.sessions_proches, name="sessions_proches"),
    path("sessions/<int:pk>/inscription/", views.demander_inscription, name="demander_inscription"),
    path("mes-formations/", views.mes_formations, name="mes_formations"),
    path("mes-formations/<int:pk>/enfants/", views.enfants_concernes, name="enfants_concernes"),
    path("inscriptions/<int:pk>/annuler/", views.annuler_inscription, name="annuler_inscription"),
    # The parent
    path("accueil-alternatif/demander/<str:jeton>/", views.demande_parent, name="demande_parent"),
    path("accueil-alternatif/mes-demandes/", views.mes_demandes, name="mes_demandes"),
    path("propositions/<int:pk>/reponse/", views.repondre_proposition, name="repondre_proposition"),
    # Relais staff
    path("organismes/", views.organismes, name="organismes"),
    path("organismes/<int:pk>/", views.organisme_modifier, name="organisme_modifier"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/nouvelle/", views.session_creer, name="session_creer"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/modifier/", views.session_modifier, name="session_modifier"),
    path("sessions/<int:pk>/inscrire/", views.inscrire, name="inscrire"),
    path("inscriptions/<int:pk>/partie/", views.marquer_partie, name="marquer_partie"),
    path("inscriptions/<int:pk>/suivie/", views.marquer_suivie, name="marquer_suivie"),
    path("besoins/", views.besoins, name="besoins"),
    path("besoins.csv", views.besoins_csv, name="besoins_csv"),
    path("mises-en-relation/nouvelle/", views.mise_en_relation, name="mise_en_relation"),
    path("accueil-alternatif/", views.demandes, name="demandes"),
    path("accueil-alternatif/<int:pk>/", views.demande_alternative, name="demande_alternative"),
    path("accueil-alternatif/telephone/", views.demande_telephone, name="demande_telephone"),
    path("calendrier/", views.calendrier, name="calendrier"),
    path("relais/<int:pk>/sessions.ics", views.calendrier_ics, name="calendrier_ics"),
]
