"""Public search: only consenting childminders with a valid agrément and a fresh declaration."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assmats import emails
from assmats.models import DisponibiliteStructure, ParametresOffre
from courriels.services import envoyer_en_attente
from relais.models import Epci
from tests.assmats.factories import (
    AccueilFactory,
    AgrementFactory,
    AssistantMaternelFactory,
    DisponibiliteFactory,
    StructureFactory,
    assmat_complete,
)
from tests.factories import CommuneFactory, RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return RelaisFactory(commune_siege__nom="Clapiers").commune_siege


def _chercher(client, commune, **params):
    return client.get(reverse("assmats:recherche"), {"commune": commune.pk, **params}).content.decode()


def test_une_assmat_affichee_apparait_avec_son_prenom_et_l_initiale_de_son_nom(client, commune):
    assmat_complete(prenom="Sylvie", nom="Durand", commune=commune, telephone="0467000001")

    html = _chercher(client, commune)

    assert "Sylvie D." in html
    assert "Durand" not in html
    assert "0467000001" not in html
    assert "1 résultat" in html


def test_le_telephone_affiche_s_ecrit_par_paires_et_se_compose_d_un_clic(client, commune):
    assmat_complete(commune=commune, telephone="0467000002", afficher_telephone=True)

    assert '<a href="tel:+33467000002">04 67 00 00 02</a>' in _chercher(client, commune)


def test_sans_consentement_a_l_affichage_rien_n_apparait(client, commune):
    assmat = assmat_complete(prenom="Nadia", commune=commune)
    assmat.afficher_disponibilites = False
    assmat.save()

    assert "Nadia" not in _chercher(client, commune)


def test_une_declaration_non_confirmee_depuis_3_mois_n_est_plus_affichee(client, commune):
    assmat = assmat_complete(prenom="Karine", commune=commune)
    assmat.disponibilite.confirmee_le = timezone.now() - timedelta(days=95)
    assmat.disponibilite.save()

    assert "Karine" not in _chercher(client, commune)


def test_le_delai_de_peremption_est_configurable(client, commune):
    ParametresOffre.objects.update_or_create(pk=1, defaults={"mois_avant_peremption": 6})
    assmat = assmat_complete(prenom="Karine", commune=commune)
    assmat.disponibilite.confirmee_le = timezone.now() - timedelta(days=95)
    assmat.disponibilite.save()

    assert "Karine" in _chercher(client, commune)


def test_un_agrement_expire_cache_l_assmat(client, commune):
    assmat = AssistantMaternelFactory(prenom="Odile", commune=commune, affichee=True)
    AgrementFactory(assistant_maternel=assmat, expire=True)
    DisponibiliteFactory(assistant_maternel=assmat)

    assert "Odile" not in _chercher(client, commune)


def test_une_assmat_complete_n_apparait_pas(client, commune):
    assmat = assmat_complete(prenom="Fanny", commune=commune)
    AccueilFactory.create_batch(
        4, assistant_maternel=assmat, date_naissance=timezone.localdate() - timedelta(days=2000)
    )

    assert "Fanny" not in _chercher(client, commune)


def test_les_places_affichees_ne_depassent_jamais_les_places_derivees(client, commune):
    assmat = assmat_complete(prenom="Rose", commune=commune)
    assmat.disponibilite.places_moins_3_ans = 3
    assmat.disponibilite.save()
    AccueilFactory.create_batch(2, assistant_maternel=assmat)

    html = _chercher(client, commune, tranche="moins_3")

    assert "1 place libre, pour un enfant de tout âge" in html


def test_la_recherche_par_age_filtre_les_places_de_moins_de_3_ans(client, commune):
    assmat = assmat_complete(prenom="Lou", commune=commune)
    assmat.disponibilite.places_moins_3_ans = 0
    assmat.disponibilite.save()

    assert "Lou" not in _chercher(client, commune, tranche="moins_3")
    assert "Lou" in _chercher(client, commune, tranche="plus_3")


def test_les_horaires_atypiques_filtrent(client, commune):
    assmat_complete(prenom="Lina", commune=commune)

    assert "Lina" not in _chercher(client, commune, atypiques="samedi")


def test_les_communes_voisines_par_distance(client, commune):
    commune.latitude, commune.longitude = 43.6578, 3.8889
    commune.save()
    voisine = CommuneFactory(nom="Jacou", latitude=43.6611, longitude=3.9125)
    lointaine = CommuneFactory(nom="Béziers", latitude=43.3442, longitude=3.2158)
    assmat_complete(prenom="Voisine", commune=voisine)
    assmat_complete(prenom="Lointaine", commune=lointaine)

    html = _chercher(client, commune, voisines="on")

    assert "Voisine" in html
    assert "Lointaine" not in html
    assert "Voisine" not in _chercher(client, commune)


def test_sans_coordonnees_les_voisines_sont_celles_de_l_epci(client, commune):
    epci = Epci.objects.create(code="243400017", nom="Montpellier Méditerranée Métropole")
    commune.epci = epci
    commune.save()
    assmat_complete(prenom="Metropole", commune=CommuneFactory(epci=epci))
    assmat_complete(prenom="Ailleurs", commune=CommuneFactory())

    html = _chercher(client, commune, voisines="on")

    assert "Metropole" in html
    assert "Ailleurs" not in html


def test_une_commune_inconnue_donne_un_message_clair(client):
    response = client.get(reverse("assmats:recherche"), {"commune": "999999"})

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_une_date_absurde_donne_un_message_clair(client, commune):
    html = _chercher(client, commune, debut="1900-01-01")

    assert "Choisissez une date entre aujourd" in html


def test_la_recherche_pagine_par_20(client, commune):
    for numero in range(25):
        assmat_complete(prenom=f"Assmat{numero:02d}", commune=commune)

    premiere = _chercher(client, commune)
    seconde = _chercher(client, commune, page=2)

    assert premiere.count('<h3 class="h5 mb-1">') == 20
    assert seconde.count('<h3 class="h5 mb-1">') == 5


@pytest.mark.parametrize("nombre", [1, 15])
def test_la_recherche_fait_un_nombre_de_requetes_constant(client, commune, django_assert_num_queries, nombre):
    for _ in range(nombre):
        assmat_complete(commune=commune)

    # commune chosen, parameters, page of results with their count, structures, communes of the form's list
    with django_assert_num_queries(5):
        _chercher(client, commune)


def test_une_creche_avec_des_places_libres_apparait_a_cote_des_assmats(client, commune):
    structure = StructureFactory(nom="Crèche Les Lucioles", commune=commune)
    DisponibiliteStructure.objects.create(
        structure=structure,
        a_partir_du=timezone.localdate() - timedelta(days=3),
        places_moins_3_ans=2,
        places_plus_3_ans=0,
        declaree_par=UserFactory(animateur=True),
    )
    StructureFactory(nom="Crèche Complète", commune=commune)

    html = _chercher(client, commune, tranche="moins_3")

    assert "Crèche Les Lucioles" in html
    assert "2 pour un enfant de moins de 3 ans" in html
    assert "Crèche Complète" not in html
    assert "Crèche Les Lucioles" not in _chercher(client, commune, tranche="plus_3")


def test_une_place_qui_se_libere_dans_les_six_mois_est_trouvee_avec_sa_date(client, commune):
    assmat = assmat_complete(prenom="Odile", commune=commune)
    assmat.disponibilite.a_partir_du = timezone.localdate() + timedelta(days=120)
    assmat.disponibilite.save()

    html = _chercher(client, commune)

    assert "Odile" in html
    assert f"à partir du {date_format(assmat.disponibilite.a_partir_du, 'j F Y')}" in html


def test_une_place_qui_se_libere_dans_plus_de_six_mois_n_est_pas_montree(client, commune):
    assmat = assmat_complete(prenom="Odile", commune=commune)
    assmat.disponibilite.a_partir_du = timezone.localdate() + timedelta(days=200)
    assmat.disponibilite.save()

    assert "Odile" not in _chercher(client, commune)


def test_une_place_occupee_aujourd_hui_qui_se_libere_plus_tard_est_trouvee(client, commune):
    assmat = assmat_complete(prenom="Odile", commune=commune)
    for _ in range(4):
        AccueilFactory(assistant_maternel=assmat, date_fin=timezone.localdate() + timedelta(days=59))
    assmat.disponibilite.a_partir_du = timezone.localdate() + timedelta(days=60)
    assmat.disponibilite.save()

    assert "Odile" in _chercher(client, commune)


def test_la_carte_dit_les_jours_les_horaires_les_langues_le_jardin_et_la_presentation(client, commune):
    assmat = assmat_complete(
        commune=commune, langues="français, arabe", espace_exterieur=True, presentation="Maison avec potager."
    )
    assmat.disponibilite.jours, assmat.disponibilite.heure_debut, assmat.disponibilite.heure_fin = (
        [0, 1, 3],
        "7:30",
        "17:00",
    )
    assmat.disponibilite.save()

    html = _chercher(client, commune)

    assert "Jours proposés : lundi, mardi, jeudi, de 7h30 à 17h00." in html
    assert "Langues parlées : français, arabe" in html
    assert "Jardin ou espace extérieur." in html
    assert "Maison avec potager." in html


def test_la_carte_dit_les_places_avec_la_meme_phrase_que_l_espace_de_l_assmat(client, commune):
    assmat_complete(commune=commune)  # declares 1 place under 3, 1 of 3 or more

    assert "1 place libre, pour un enfant de tout âge" in _chercher(client, commune)


def test_un_code_postal_desservi_trouve_les_assmats_de_ses_communes(client, commune):
    assmat_complete(prenom="Odile", commune=commune)

    html = client.get(reverse("assmats:recherche"), {"code_postal": commune.codes_postaux[0]}).content.decode()

    assert "Odile" in html


def test_un_code_postal_en_chiffres_pleine_chasse_est_compris(client, commune):
    assmat_complete(prenom="Odile", commune=commune)
    pleine_chasse = "".join(chr(ord(c) + 0xFEE0) for c in commune.codes_postaux[0])

    assert "Odile" in client.get(reverse("assmats:recherche"), {"code_postal": pleine_chasse}).content.decode()


def test_un_code_postal_hors_du_territoire_oriente_vers_monenfant_et_les_relais(client, commune):
    html = client.get(reverse("assmats:recherche"), {"code_postal": "75011"}).content.decode()

    assert "Aucun relais de ce portail ne dessert le code postal 75011" in html
    assert 'href="https://monenfant.fr"' in html
    assert f'href="{reverse("relais:annuaire")}"' in html


def test_sans_commune_ni_code_postal_la_recherche_le_demande(client, commune):
    html = client.get(reverse("assmats:recherche"), {"tranche": "moins_3"}).content.decode()

    assert "Choisissez votre commune ou indiquez votre code postal." in html


def test_les_communes_de_la_liste_sont_dans_l_ordre_du_dictionnaire(client):
    for nom in ("Boujan", "Béziers", "Agde"):
        RelaisFactory(commune_siege__nom=nom)

    html = client.get(reverse("assmats:recherche")).content.decode()

    assert html.index(">Agde") < html.index(">Béziers") < html.index(">Boujan")


def test_sans_telephone_affiche_la_carte_propose_d_ecrire_par_le_relais(client, commune):
    assmat = assmat_complete(commune=commune, telephone="0467000002")

    html = _chercher(client, commune)

    assert "0467000002" not in html
    assert reverse("assmats:ecrire_via_le_relais", args=[assmat.pk]) in html


def _ecrire(client, assmat, **champs):
    donnees = {"nom": "Claire Petit", "email": "claire@exemple.fr", "message": "Pour Léo, 8 mois, dès mars.", **champs}
    return client.post(reverse("assmats:ecrire_via_le_relais", args=[assmat.pk]), donnees)


def test_le_message_d_une_famille_part_au_relais_qui_lui_repondra(client, commune, django_capture_on_commit_callbacks):
    assmat = assmat_complete(prenom="Odile", commune=commune)
    commune.territoire.relais.email = "rpe@clapiers.fr"
    commune.territoire.relais.save()

    with django_capture_on_commit_callbacks() as envois:
        response = _ecrire(client, assmat)
    emails.transmettre_message_au_relais(
        assmat_id=assmat.pk, nom="Claire Petit", email="claire@exemple.fr", telephone="", message="Pour Léo."
    )

    assert response.status_code == 302
    assert len(envois) == 1
    envoyer_en_attente()
    assert (mail.outbox[0].to, mail.outbox[0].reply_to) == (["rpe@clapiers.fr"], ["claire@exemple.fr"])
    assert "Pour Léo." in mail.outbox[0].body


def test_un_relais_sans_adresse_e_mail_le_dit_a_la_famille_sans_rien_envoyer(
    client, commune, django_capture_on_commit_callbacks
):
    assmat = assmat_complete(commune=commune)
    commune.territoire.relais.email = ""
    commune.territoire.relais.save()

    with django_capture_on_commit_callbacks() as envois:
        html = _ecrire(client, assmat).content.decode()

    assert "ne reçoit pas encore de message en ligne" in html
    assert "Pour Léo, 8 mois, dès mars." in html
    assert envois == []


def test_on_ne_peut_pas_ecrire_a_une_assmat_qui_n_est_pas_affichee(client, commune):
    assmat = assmat_complete(commune=commune)
    assmat.afficher_disponibilites = False
    assmat.save()

    assert client.get(reverse("assmats:ecrire_via_le_relais", args=[assmat.pk])).status_code == 404


def test_les_messages_au_relais_sont_limites(client, commune):
    assmat = assmat_complete(commune=commune)
    limites = settings.GUICHET_RATE_LIMITS | {"message_au_relais": {"ip": "2/h", "compte": "2/h"}}

    with override_settings(GUICHET_RATE_LIMITS=limites):
        for _ in range(2):
            _ecrire(client, assmat)
        response = _ecrire(client, assmat)

    assert response.status_code == 429
