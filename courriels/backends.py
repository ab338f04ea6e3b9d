"""`EMAIL_BACKEND`: every `send_mail` / `EmailMessage.send()` of the project, allauth's included, becomes a row
of the outbox in the caller's transaction; the drain sends it with the real backend (COURRIELS_BACKEND_REEL)."""

from django.core.mail.backends.base import BaseEmailBackend

from courriels import services


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        envoyes = 0
        for message in email_messages:
            # The outbox holds plain text and one attachment: what the portal's e-mails are. An HTML
            # alternative (none of our templates has one) would be dropped, the text part kept.
            pieces = [p for p in message.attachments if isinstance(p, tuple)]
            piece_jointe = None
            if pieces:
                nom, contenu, type_ = pieces[0]
                contenu = contenu.decode() if isinstance(contenu, bytes) else contenu
                piece_jointe = (nom, type_ or "application/octet-stream", contenu)
            for destinataire in message.recipients():
                services.mettre_en_file(
                    destinataire=destinataire,
                    sujet=message.subject,
                    corps=message.body,
                    expediteur=message.from_email,
                    reply_to=message.reply_to,
                    piece_jointe=piece_jointe,
                )
            envoyes += 1
        return envoyes
