"""The sessions' iCalendar feed of a relais (RFC 5545)."""

from datetime import date, time

import pytest
from django.urls import reverse

from tests.formation.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _evenements(contenu: str) -> list[str]:
    return contenu.split("BEGIN:VEVENT\r\n")[1:]


def test_le_flux_ics_contient_un_evenement_par_session_du_relais(client):
    session = SessionFactory(
        intitule="Premiers secours, niveau 1",
        date_debut=date(2027, 3, 9),
        date_fin=date(2027, 3, 9),
        heure_debut=time(9),
        heure_fin=time(17),
        lieu="Salle des fêtes",
    )
    SessionFactory(relais=session.relais, date_debut=date(2027, 4, 6), date_fin=date(2027, 4, 6))
    SessionFactory()  # another relais

    reponse = client.get(reverse("formation:calendrier_ics", args=[session.relais.pk]))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    contenu = reponse.content.decode("utf-8")
    assert contenu.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert contenu.endswith("END:VCALENDAR\r\n")
    assert "\n" not in contenu.replace("\r\n", "")
    evenements = _evenements(contenu)
    assert len(evenements) == 2
    premier = evenements[0]
    assert f"UID:session-formation-{session.pk}@guichet-rpe.fr\r\n" in premier
    # 9:00 and 17:00 in Paris in March (winter time) are 8:00 and 16:00 UTC.
    assert "DTSTART:20270309T080000Z\r\n" in premier
    assert "DTEND:20270309T160000Z\r\n" in premier
    assert "SUMMARY:Premiers secours\\, niveau 1\r\n" in premier
    assert "RRULE" not in premier


def test_une_session_sur_plusieurs_jours_se_repete_chaque_jour_jusqu_au_dernier():
    session = SessionFactory(date_debut=date(2027, 7, 5), date_fin=date(2027, 7, 7), heure_debut=time(9))
    from django.test import Client

    contenu = Client().get(reverse("formation:calendrier_ics", args=[session.relais.pk])).content.decode()

    # Summer time: 9:00 in Paris is 7:00 UTC.
    assert "RRULE:FREQ=DAILY;UNTIL=20270707T070000Z\r\n" in contenu


def test_l_uid_ne_change_pas_quand_la_session_est_modifiee(client):
    session = SessionFactory()
    url = reverse("formation:calendrier_ics", args=[session.relais.pk])
    avant = client.get(url).content.decode()

    session.intitule = "Nouvel intitulé"
    session.save()
    apres = client.get(url).content.decode()

    uid = f"UID:session-formation-{session.pk}@guichet-rpe.fr"
    assert uid in avant
    assert uid in apres
    assert "Nouvel intitulé" in apres


def test_les_lignes_longues_sont_pliees_a_75_octets(client):
    session = SessionFactory(intitule="Accueillir un enfant en situation de handicap : " + "é" * 60)

    contenu = client.get(reverse("formation:calendrier_ics", args=[session.relais.pk])).content

    assert all(len(ligne) <= 75 for ligne in contenu.split(b"\r\n"))
    deplie = contenu.decode().replace("\r\n ", "")
    assert "é" * 60 in deplie


def test_le_flux_ics_ne_nomme_personne(client):
    from tests.formation.factories import InscriptionFactory

    inscription = InscriptionFactory(assistant_maternel__nom="Zanetti")

    contenu = client.get(reverse("formation:calendrier_ics", args=[inscription.session.relais.pk])).content.decode()

    assert "Zanetti" not in contenu
