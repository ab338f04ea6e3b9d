from django.urls import path

from demandes import views

app_name = "demandes"

urlpatterns = [
    path("criteres/", views.criteres, name="criteres"),
    path("mes-demandes/", views.mes_demandes, name="mes_demandes"),
    path("deposer/", views.deposer, name="deposer"),
    path("deposer/abandonner/", views.abandonner, name="abandonner"),
    path("deposer/<slug:etape>/", views.etape, name="etape"),
    path("<int:pk>/confirmation/", views.confirmation, name="confirmation"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/retirer/", views.retirer, name="retirer"),
    path("invitation/<str:jeton>/", views.invitation, name="invitation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("file/", views.file, name="file"),
    path("saisie/", views.saisir, name="saisir"),
    path("<int:pk>/prendre/", views.prendre, name="prendre"),
    path("<int:pk>/rendez-vous/", views.rendez_vous, name="rendez_vous"),
    path("<int:pk>/rendez-vous/deplacer/", views.deplacer_rendez_vous, name="deplacer_rendez_vous"),
    path("<int:pk>/rendez-vous/annuler/", views.annuler_rendez_vous, name="annuler_rendez_vous"),
    path("<int:pk>/rendez-vous-realise/", views.constater, name="constater"),
    path("<int:pk>/rendez-vous.ics", views.agenda, name="agenda"),
    path("<int:pk>/rendez-vous/confirmer/", views.confirmer_rendez_vous, name="confirmer_rendez_vous"),
    path("<int:pk>/rendez-vous/deplacement-souhaite/", views.deplacement_souhaite, name="deplacement_souhaite"),
    path("<int:pk>/proposition/", views.proposition, name="proposition"),
    path("<int:pk>/solution/", views.solution, name="solution"),
    path("<int:pk>/sans-solution/", views.sans_solution, name="sans_solution"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/mise-en-relation/", views.mise_en_relation, name="mise_en_relation"),
    path("<int:pk>/proposer-offre/", views.proposer_offre, name="proposer_offre"),
    path("propositions-recues/", views.propositions_assmat, name="propositions_assmat"),
    path("propositions-recues/<int:pk>/repondre/", views.repondre_proposition, name="repondre_proposition"),
    path("besoins-non-satisfaits/", views.besoins_non_satisfaits, name="besoins_non_satisfaits"),
    path("besoins-non-satisfaits.csv", views.besoins_non_satisfaits_csv, name="besoins_non_satisfaits_csv"),
]
