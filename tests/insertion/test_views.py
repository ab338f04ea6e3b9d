"""The block of the request's page: the team attributes, renews and ends an AVIP place, opens and follows a
parcours; the family sees its dates and next contact, never the team's notes; no one else sees or acts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insertion import services
from insertion.models import AttributionAvip, ParcoursAttentionne
from tests.factories import MembreRelaisFactory, UserFactory
from tests.insertion.factories import creche_avip, demande_en_insertion, demande_p2

pytestmark = pytest.mark.django_db


def _page(client, demande):
    return client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()


def test_l_animatrice_attribue_une_place_avip_depuis_la_page_de_la_demande(client):
    demande = demande_en_insertion()
    creche = creche_avip(demande.relais, nom="Crèche des Capucins")
    client.force_login(demande.prise_par)
    assert "Attribuer une place AVIP" in _page(client, demande)

    debut = timezone.localdate()
    reponse = client.post(
        reverse("insertion:attribuer_avip", args=[demande.pk]),
        {"avip-structure": creche.pk, "avip-debut": debut.isoformat()},
        follow=True,
    )

    page = reponse.content.decode()
    assert "Place AVIP attribuée pour 3 mois." in page
    assert f"du {debut:%d/%m/%Y} au {AttributionAvip.objects.get().fin:%d/%m/%Y}" in page
    assert "Renouveler" in page
    assert "Mettre fin" in page


def test_sans_creche_avip_sur_le_territoire_la_page_le_dit_au_lieu_d_une_liste_vide(client):
    demande = demande_en_insertion()
    client.force_login(demande.prise_par)

    page = _page(client, demande)

    assert "Aucune crèche du territoire du relais n'a de places AVIP." in page
    assert "Attribuer une place AVIP" not in page


def test_les_creches_avip_sont_lues_en_une_requete_pour_la_liste_et_son_absence(client):
    demande = demande_en_insertion()
    creche_avip(demande.relais, nom="Crèche des Capucins")
    client.force_login(demande.prise_par)

    with CaptureQueriesContext(connection) as requetes:
        page = _page(client, demande)

    assert "Crèche des Capucins" in page
    lectures = [q["sql"] for q in requetes.captured_queries if '"places_avip" > 0' in q["sql"]]
    assert len(lectures) == 1


def test_renouveler_puis_le_bouton_disparait(client):
    demande = demande_en_insertion()
    services.attribuer_place_avip(
        demande_id=demande.pk,
        structure_id=creche_avip(demande.relais).pk,
        debut=timezone.localdate(),
        par=demande.prise_par,
    )
    client.force_login(demande.prise_par)

    page = client.post(reverse("insertion:renouveler_avip", args=[demande.pk]), follow=True).content.decode()

    assert "Place AVIP renouvelée pour 3 mois." in page
    assert "Déjà renouvelée : elle ne peut plus l'être." in page
    assert reverse("insertion:renouveler_avip", args=[demande.pk]) not in page


def test_une_date_impossible_est_refusee_en_francais_sans_rien_changer(client):
    demande = demande_en_insertion()
    creche = creche_avip(demande.relais)
    client.force_login(demande.prise_par)

    reponse = client.post(
        reverse("insertion:attribuer_avip", args=[demande.pk]),
        {"avip-structure": creche.pk, "avip-debut": "9999-12-31"},
        follow=True,
    )

    assert "Action non enregistrée : Indiquez une date de moins de deux ans" in reponse.content.decode()
    assert not AttributionAvip.objects.exists()


def test_l_animatrice_d_un_autre_relais_obtient_404_et_rien_ne_change(client):
    demande = demande_en_insertion()
    creche = creche_avip(demande.relais)
    client.force_login(MembreRelaisFactory().user)

    reponse = client.post(
        reverse("insertion:attribuer_avip", args=[demande.pk]),
        {"avip-structure": creche.pk, "avip-debut": timezone.localdate().isoformat()},
    )

    assert reponse.status_code == 404
    assert not AttributionAvip.objects.exists()


def test_la_famille_ne_peut_pas_s_attribuer_une_place(client):
    demande = demande_en_insertion()
    client.force_login(demande.parent)

    reponse = client.post(reverse("insertion:ouvrir_parcours", args=[demande.pk]), {"parcours-debut": "2026-01-01"})

    assert reponse.status_code == 403
    assert not ParcoursAttentionne.objects.exists()


def _parcours_avec_contacts(demande):
    aujourd_hui = timezone.localdate()
    services.ouvrir_parcours(demande_id=demande.pk, debut=aujourd_hui - timedelta(days=10), par=demande.prise_par)
    services.noter_contact(
        demande_id=demande.pk,
        par=demande.prise_par,
        le=aujourd_hui - timedelta(days=9),
        type="entretien",
        note="Maman inquiète pour la reprise de sa formation",
    )
    services.noter_contact(
        demande_id=demande.pk, par=demande.prise_par, le=aujourd_hui + timedelta(days=12), type="atelier"
    )


def test_la_famille_voit_les_dates_de_son_parcours_et_son_prochain_contact_sans_les_notes(client):
    demande = demande_p2()
    _parcours_avec_contacts(demande)
    client.force_login(demande.parent)

    page = _page(client, demande)

    parcours = ParcoursAttentionne.objects.get()
    assert f"Du {parcours.debut:%d/%m/%Y} au {parcours.fin_prevue:%d/%m/%Y}" in page
    assert "Prochain contact : <strong>Atelier collectif le" in page
    assert "Maman inquiète" not in page
    assert "Noter un contact" not in page


def test_l_equipe_voit_les_notes_des_contacts(client):
    demande = demande_p2()
    _parcours_avec_contacts(demande)
    client.force_login(demande.prise_par)

    page = _page(client, demande)

    assert "Maman inquiète pour la reprise de sa formation" in page
    assert "Clore le parcours" in page


def test_une_autre_famille_ne_voit_pas_le_parcours(client):
    demande = demande_p2()
    _parcours_avec_contacts(demande)
    client.force_login(UserFactory())

    assert client.get(reverse("demandes:detail", args=[demande.pk])).status_code == 404


def test_clore_le_parcours_depuis_la_page(client):
    demande = demande_p2()
    _parcours_avec_contacts(demande)
    client.force_login(demande.prise_par)

    page = client.post(
        reverse("insertion:cloturer_parcours", args=[demande.pk]),
        {"cloture-le": timezone.localdate().isoformat(), "cloture-issue": "emploi_formation", "cloture-note": ""},
        follow=True,
    ).content.decode()

    assert "Parcours attentionné clos." in page
    assert "Emploi ou formation" in page
    assert ParcoursAttentionne.objects.get().statut == "clos"


def test_la_famille_voit_sa_place_avip_et_ses_dates_sans_les_boutons_de_l_equipe(client):
    demande = demande_en_insertion()
    debut = timezone.localdate()
    services.attribuer_place_avip(
        demande_id=demande.pk,
        structure_id=creche_avip(demande.relais, nom="Crèche des Capucins").pk,
        debut=debut,
        par=demande.prise_par,
    )
    client.force_login(demande.parent)

    page = _page(client, demande)

    assert "Crèche des Capucins" in page
    assert f"du {debut:%d/%m/%Y} au {AttributionAvip.objects.get().fin:%d/%m/%Y}" in page
    assert "Renouvelable une fois, pour 3 mois." in page
    assert "Mettre fin" not in page
    assert "Historique de la place" not in page
