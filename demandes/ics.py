"""An iCalendar (RFC 5545) event for an appointment, so that the family adds it to its calendar in one click."""

from datetime import UTC, timedelta

from django.utils import timezone


def _echapper(texte: str) -> str:
    return texte.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def evenement(rendez_vous) -> str:
    demande = rendez_vous.demande
    fin = rendez_vous.debut + timedelta(minutes=rendez_vous.duree_minutes)
    lieu = rendez_vous.lieu if rendez_vous.modalite == "sur_place" else "Par téléphone (le relais vous appelle)"
    lignes = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Guichet RPE//Demandes d'accueil//FR",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:rdv-{rendez_vous.pk}@guichet-rpe.fr",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(rendez_vous.debut)}",
        f"DTEND:{_utc(fin)}",
        f"SUMMARY:{_echapper(f'Rendez-vous au {demande.relais.nom}')}",
        f"LOCATION:{_echapper(lieu)}",
        f"DESCRIPTION:{_echapper(f'Demande d’accueil {demande.reference} pour {demande.enfant_prenom}.')}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lignes) + "\r\n"
