"""Files for other software: the sessions' iCalendar feed (RFC 5545) and the needs report as CSV."""

from datetime import UTC, datetime

from django.utils import timezone

from fichiers.tableur import texte_csv


def _echapper(texte: str) -> str:
    return (
        texte.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _plier(ligne: str) -> list[str]:
    """RFC 5545 §3.1: lines longer than 75 octets are folded, continuation lines start with a space.
    Cut on character boundaries so that a multi-byte character is never split."""
    morceaux, courant, taille, limite = [], "", 0, 75
    for caractere in ligne:
        octets = len(caractere.encode("utf-8"))
        if taille + octets > limite:
            morceaux.append(courant)
            courant, taille, limite = " ", 1, 75
        courant += caractere
        taille += octets
    morceaux.append(courant)
    return morceaux


def _utc(jour, heure) -> str:
    moment = timezone.make_aware(datetime.combine(jour, heure))
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendrier_ics(relais, sessions) -> str:
    """One VEVENT per session; a session on several days repeats daily until its last day.
    Times are in UTC so that no VTIMEZONE is needed; DTSTAMP is the session's last change, so the
    same data gives the same file."""
    lignes = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Guichet RPE//Formation continue//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_echapper(f'Formations – {relais.nom}')}",
    ]
    for session in sessions:
        lignes += [
            "BEGIN:VEVENT",
            f"UID:{session.uid_ics}",
            f"DTSTAMP:{session.updated_at.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART:{_utc(session.date_debut, session.heure_debut)}",
            f"DTEND:{_utc(session.date_debut, session.heure_fin)}",
        ]
        if session.date_fin > session.date_debut:
            lignes.append(f"RRULE:FREQ=DAILY;UNTIL={_utc(session.date_fin, session.heure_debut)}")
        lignes += [
            f"SUMMARY:{_echapper(session.intitule)}",
            f"LOCATION:{_echapper(f'{session.lieu}, {session.commune.nom}')}",
            "DESCRIPTION:"
            + _echapper(
                f"Organisme : {session.organisme.nom}\nThème : {session.theme.libelle}\n"
                f"Places : {session.capacite}\nInscriptions auprès du {relais.nom}."
            ),
            "END:VEVENT",
        ]
    lignes.append("END:VCALENDAR")
    return "".join(morceau + "\r\n" for ligne in lignes for morceau in _plier(ligne))


COLONNES_BESOINS = ["Thème", "Commune", "Code INSEE", "Jours préférés", "Souhaits", "Assistants maternels"]


def besoins_csv(lignes: list[dict]) -> str:
    return texte_csv(
        [COLONNES_BESOINS]
        + [
            [
                ligne["theme__libelle"],
                ligne["commune__nom"],
                ligne["commune__code_insee"],
                ligne["jours_libelle"],
                ligne["souhaits"],
                ligne["assmats"],
            ]
            for ligne in lignes
        ]
    )
