"""E-mails of the tiers payant, from the convention's relais (its name, its address for replies, its
signature). Each function is safe to run twice: it records what it sent or sends nothing new."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from comptes.texte import une_ligne
from relais.emails import envoyer_pour_le_relais
from tiers_payant import selectors
from tiers_payant.models import DocumentConvention, ReleveMensuel, Statut


def _envoyer(template: str, destinataire: str, contexte: dict, relais) -> None:
    envoyer_pour_le_relais(f"tiers_payant/emails/{template}", destinataire, contexte, relais)


@transaction.atomic
def inviter_a_signer(*, document_id: int) -> int:
    """Each parent and the childminder get the link to the page where they sign this document, once."""
    document = DocumentConvention.objects.select_for_update().get(pk=document_id)
    convention = document.convention
    a_signer = selectors.document_a_signer(convention)
    if document.invitations_envoyees_le or convention.statut != Statut.ENVOYEE or a_signer.pk != document.pk:
        return 0  # already sent, or replaced by newer terms whose own invitation goes out
    lien = settings.SITE_URL + reverse("tiers_payant:convention", args=[convention.pk])
    invites, _ = selectors.invites_a_signer(convention)
    for user in invites:
        contexte = {"convention": convention, "prenom": une_ligne(user.first_name) or "Madame, Monsieur", "lien": lien}
        _envoyer("invitation_signature", user.email, contexte, convention.relais)
    document.invitations_envoyees_le = timezone.now()
    document.save(update_fields=["invitations_envoyees_le"])
    return len(invites)


def notifier_contestation(*, releve_id: int) -> None:
    """The relais reads the parent's reason and follows the correction."""
    releves = ReleveMensuel.objects.select_related("convention__relais__commune_siege", "conteste_par")
    releve = releves.get(pk=releve_id)
    convention = releve.convention
    if not releve.conteste or not convention.relais.email:
        return  # corrected meanwhile: nothing left to follow
    contexte = {
        "releve": releve,
        "convention": convention,
        "parent": releve.conteste_par.get_full_name() or "Un parent",
        "lien": settings.SITE_URL + reverse("tiers_payant:releves", args=[convention.pk]),
    }
    _envoyer("contestation", convention.relais.email, contexte, convention.relais)
