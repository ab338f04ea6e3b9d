"""The outbox: e-mails written in the caller's transaction, sent after it commits by `envoyer_en_attente`.

A rolled-back change therefore sends nothing, and a change that commits sends its e-mails even if the broker
or the mail server is down at that moment: the row waits, the beat schedule drains it later. Each row is
sent at most once (locked with SKIP LOCKED, marked sent in the transaction that locked it); a failed attempt
is retried later and later (`ATTENTE_INITIALE` doubled at each attempt), and given up after `TENTATIVES_MAX`
with its last error kept for the staff.
"""

import logging
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from courriels.models import Email

logger = logging.getLogger(__name__)

ATTENTE_INITIALE = timedelta(minutes=1)
# 1 min, 2 min, 4 min… : the tenth failure comes about 17 hours after the first, past a night's outage.
TENTATIVES_MAX = 10


def mettre_en_file(
    *,
    destinataire: str,
    sujet: str,
    corps: str,
    expediteur: str = "",
    reply_to: Sequence[str] | str | None = None,
    piece_jointe: tuple[str, str, str] | None = None,
    sujet_de: str = "",
) -> Email:
    """Writes the e-mail in the caller's transaction; the drain is asked for once it commits.

    `expediteur`: the From header (blank: DEFAULT_FROM_EMAIL); `piece_jointe`: (name, MIME type, content);
    `sujet_de`: the label of the record the e-mail speaks of, for `effacer_pour_sujet`."""
    if isinstance(reply_to, str):
        reply_to = [reply_to]
    nom, type_, contenu = piece_jointe or ("", "", "")
    email = Email.objects.create(
        destinataire=destinataire,
        sujet=sujet,
        corps=corps,
        expediteur=expediteur or "",
        reply_to=", ".join(a for a in reply_to or () if a),
        sujet_de=sujet_de,
        piece_jointe_nom=nom,
        piece_jointe_type=type_,
        piece_jointe=contenu,
    )
    _demander_envoi_au_commit()
    return email


def _demander_envoi_au_commit() -> None:
    # One drain per transaction, however many e-mails it writes: a drain sends every pending row.
    if connection.in_atomic_block and any(f is demander_envoi for _sids, f, _robust in connection.run_on_commit):
        return
    transaction.on_commit(demander_envoi)


def demander_envoi() -> None:
    """Asks a worker to drain the outbox now. If the broker is down, the beat schedule drains it later:
    the e-mail is already saved, so nothing is lost and the page answers normally."""
    from courriels.tasks import envoyer_en_attente

    try:
        envoyer_en_attente.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: the outbox row is the source of truth
        logger.warning("Broker indisponible : les e-mails partiront au prochain passage planifié.", exc_info=True)


def attente_apres(tentatives: int) -> timedelta:
    return ATTENTE_INITIALE * 2 ** (tentatives - 1)


def _message(email: Email, connexion) -> EmailMessage:
    message = EmailMessage(
        subject=email.sujet,
        body=email.corps,
        from_email=email.expediteur or settings.DEFAULT_FROM_EMAIL,
        to=[email.destinataire],
        reply_to=[a.strip() for a in email.reply_to.split(",") if a.strip()] or None,
        connection=connexion,
    )
    if email.piece_jointe_nom:
        message.attach(email.piece_jointe_nom, email.piece_jointe, email.piece_jointe_type)
    return message


def envoyer_en_attente(*, lot: int = 50) -> int:
    """Sends the due e-mails, each in its own transaction, through the real backend (COURRIELS_BACKEND_REEL).

    Idempotent: a sent e-mail is marked in the same transaction that locked it, and two drains never take
    the same row (SKIP LOCKED). After a failure the drain stops: the server is most likely down for the
    next rows too, and the failed row, now due later, no longer holds the others back at the next drain."""
    connexion = get_connection(settings.COURRIELS_BACKEND_REEL)
    envoyes = 0
    for _ in range(lot):
        with transaction.atomic():
            maintenant = timezone.now()
            email = Email.objects.select_for_update(skip_locked=True).a_envoyer(maintenant).order_by("pk").first()
            if email is None:
                break
            email.tentatives += 1
            try:
                _message(email, connexion).send()
            except Exception as exc:  # noqa: BLE001 - SMTP errors are many; the row keeps the last one
                email.derniere_erreur = str(exc) or exc.__class__.__name__
                if email.tentatives >= TENTATIVES_MAX:
                    email.abandonne_le = maintenant
                    logger.error("E-mail %s abandonné après %s tentatives : %s", email.pk, email.tentatives, exc)
                else:
                    email.prochain_essai_le = maintenant + attente_apres(email.tentatives)
                    logger.warning("Envoi de l'e-mail %s impossible : %s", email.pk, exc)
                email.save(update_fields=["tentatives", "derniere_erreur", "abandonne_le", "prochain_essai_le"])
                break
            email.envoye_at = maintenant
            email.save(update_fields=["envoye_at", "tentatives"])
            envoyes += 1
    return envoyes


def effacer_pour_adresse(adresse: str) -> int:
    """GDPR: deletes the e-mails, sent or queued, to this address (a deleted account's, an anonymised
    childminder's file's): their bodies name the person and the families concerned."""
    if not adresse:
        return 0
    supprimes, _detail = Email.objects.filter(destinataire__iexact=adresse).delete()
    return supprimes


def effacer_pour_sujet(sujet_de: str) -> int:
    """GDPR: deletes the e-mails about a record being anonymised, whoever received them."""
    if not sujet_de:
        return 0
    supprimes, _detail = Email.objects.filter(sujet_de=sujet_de).delete()
    return supprimes
