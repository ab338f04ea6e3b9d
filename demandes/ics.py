"""iCalendar (RFC 5545) for an appointment, as RFC 5546 exchanges it by e-mail: the invitation (REQUEST), its
cancellation (CANCEL), and the file the family downloads from its page (PUBLISH).

One appointment is one event for the family's calendar: its UID never changes and each new version (moved,
cancelled) carries a higher SEQUENCE, so that the calendar updates the event instead of adding another."""

from datetime import UTC
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from relais.emails import nom_d_expediteur


def _echapper(texte: str) -> str:
    texte = texte.replace("\r\n", "\n").replace("\r", "\n")
    return texte.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _parametre(texte: str) -> str:
    # A parameter value is quoted, and a quote cannot appear inside it (RFC 5545 3.1).
    return '"{}"'.format("".join(c for c in texte if c not in '"\r\n'))


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _plier(ligne: str) -> str:
    """Lines of at most 75 octets, continued by CRLF and a space (RFC 5545 3.1), never inside a character."""
    morceaux, courant, taille = [], "", 0
    for caractere in ligne:
        octets = len(caractere.encode())
        if taille + octets > (75 if not morceaux else 74):
            morceaux.append(courant)
            courant, taille = "", 0
        courant += caractere
        taille += octets
    morceaux.append(courant)
    return "\r\n ".join(morceaux)


def uid(rendez_vous) -> str:
    # Built on the configured site, so that two portals (demo, production) never share an event.
    domaine = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"rdv-{rendez_vous.pk}@{domaine}"


def _organisateur(relais) -> str:
    adresse = relais.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return f"ORGANIZER;CN={_parametre(nom_d_expediteur(relais))}:mailto:{adresse}"


def _calendrier(rendez_vous, *, methode: str, statut: str, participants: list[str]) -> str:
    demande = rendez_vous.demande
    relais = demande.relais
    if rendez_vous.modalite == "sur_place":
        lieu = rendez_vous.lieu
    else:
        lieu = "Par téléphone (le relais vous appelle)"
    description = f"Demande d’accueil {demande.reference} pour {demande.enfant_prenom}."
    if relais.telephone:
        description += f" Contact : {relais.nom}, {relais.telephone}."
    lignes = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Guichet RPE//Demandes d'accueil//FR",
        "CALSCALE:GREGORIAN",
        f"METHOD:{methode}",
        "BEGIN:VEVENT",
        f"UID:{uid(rendez_vous)}",
        f"SEQUENCE:{rendez_vous.sequence}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(rendez_vous.debut)}",
        f"DTEND:{_utc(rendez_vous.fin)}",
        f"STATUS:{statut}",
        f"SUMMARY:{_echapper(f'Rendez-vous au {relais.nom}')}",
        f"LOCATION:{_echapper(lieu)}",
        f"DESCRIPTION:{_echapper(description)}",
        _organisateur(relais),
        *(f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:{adresse}" for adresse in participants),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_plier(ligne) for ligne in lignes) + "\r\n"


def invitation(rendez_vous, *, participants: list[str]) -> str:
    """The invitation e-mailed to the family, first sent or updated after a move."""
    return _calendrier(rendez_vous, methode="REQUEST", statut="CONFIRMED", participants=participants)


def annulation(rendez_vous, *, participants: list[str]) -> str:
    """Removes the event from the family's calendar (the appointment's sequence was raised first)."""
    return _calendrier(rendez_vous, methode="CANCEL", statut="CANCELLED", participants=participants)


def a_telecharger(rendez_vous) -> str:
    """The file behind « Ajouter à mon agenda »: published, not an invitation awaiting a reply."""
    return _calendrier(rendez_vous, methode="PUBLISH", statut="CONFIRMED", participants=[])
