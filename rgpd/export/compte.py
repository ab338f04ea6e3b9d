"""The account, its e-mail addresses and second factor, the e-mails sent to it, its logins (every role)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from audit.models import AuditLog
from comptes.models import User

# The outbox has no selector or permission helper: it is read here for the person's own address only.
from courriels.models import Email
from rgpd.export.socle import section


def export_compte(user: User) -> dict[str, dict]:
    adresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email", "pk")
    facteurs = Authenticator.objects.filter(user=user).order_by("created_at", "pk")
    return {
        "compte": section(
            "Mon compte",
            User,
            [user],
            exclure={"groups", "user_permissions"},
            explication="Votre identité et vos coordonnées, telles que vous les avez saisies à l'inscription ou "
            "dans « Mon compte ».",
        ),
        "adresses_email": section(
            "Mes adresses e-mail",
            EmailAddress,
            adresses,
            exclure={"user"},
            vide="Aucune adresse e-mail.",
            explication="Vérifiée : vous avez "
            "cliqué sur le lien reçu. L'adresse principale est celle qui sert à vous connecter.",
        ),
        # The type and dates only: the TOTP secret and recovery codes are credentials, not data to hand out.
        "second_facteur": section(
            "Ma double authentification",
            Authenticator,
            facteurs,
            exclure={"user", "data"},
            vide="Aucune double authentification : vous vous connectez avec votre mot de passe.",
        ),
    }


def export_journal(user: User) -> dict[str, dict]:
    """The person's own logins and logouts. Staff reads of their file are the relais' accountability record,
    searched by admins and the CAF on request; the person may ask the relais for them (art. 15 (1) (c))."""
    entrees = AuditLog.objects.filter(
        user_id=user.pk, action__in=[AuditLog.Action.LOGIN, AuditLog.Action.LOGOUT]
    ).order_by("created_at", "pk")
    return {
        "connexions": section(
            "Mes connexions",
            AuditLog,
            entrees,
            exclure={"user", "email", "role", "object_type", "object_id", "description", "vue", "parametres"}
            | {"relais", "departement"},
            vide="Aucune connexion.",
            explication="Date, adresse IP et page de chaque connexion et déconnexion, gardées pour la sécurité "
            "de votre compte.",
        )
    }


def export_emails(user: User) -> dict[str, dict]:
    """Messages the portal sent to the person's address: subject and dates (the text is in their mailbox)."""
    envois = Email.objects.filter(destinataire__iexact=user.email).order_by("created_at", "pk")
    return {
        "emails": section(
            "E-mails envoyés par le portail",
            Email,
            envois,
            exclure={
                "corps",
                "piece_jointe",
                "piece_jointe_nom",
                "piece_jointe_type",
                "tentatives",
                "derniere_erreur",
                "sujet_de",
                "prochain_essai_le",
            },
            vide="Aucun e-mail.",
        )
    }
