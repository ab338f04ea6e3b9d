from django.urls import path

from assmats import views

app_name = "assmats"

urlpatterns = [
    # The childminder's own space
    path("mon-espace/", views.tableau, name="tableau"),
    path("mon-profil/", views.profil, name="profil"),
    path("mon-agrement/", views.agrement, name="agrement"),
    path("enfants-accueillis/", views.accueils, name="accueils"),
    path("enfants-accueillis/<int:pk>/", views.accueil_modifier, name="accueil_modifier"),
    path("enfants-accueillis/<int:pk>/supprimer/", views.accueil_supprimer, name="accueil_supprimer"),
    path("mes-disponibilites/", views.disponibilites, name="disponibilites"),
    path("mes-disponibilites/confirmer/", views.confirmer_disponibilites, name="confirmer_disponibilites"),
    path("sous-activite/", views.sous_activite, name="sous_activite"),
    # Public
    path("recherche/", views.recherche, name="recherche"),
    path("recherche/<int:pk>/ecrire/", views.ecrire_via_le_relais, name="ecrire_via_le_relais"),
    # Relais staff and CAF
    path("territoire/", views.liste, name="liste"),
    path("territoire/<int:pk>/", views.fiche, name="fiche"),
    path("territoire/<int:pk>/avip/", views.avip, name="avip"),
    path("territoire/relancer/", views.relancer, name="relancer"),
    path("relances/<int:pk>/", views.relance, name="relance"),
    path("sous-activite/suivi/", views.sous_activites, name="sous_activites"),
    path("sous-activite/<int:pk>/entretien/", views.proposer_entretien, name="proposer_entretien"),
    path("entretiens/<int:pk>/issue/", views.issue_entretien, name="issue_entretien"),
    path("structures/", views.structures, name="structures"),
    path("structures/<int:pk>/", views.structure, name="structure"),
    path("import/", views.import_agrements, name="import"),
]
