"""E-mails of continuing training. Each runs safely twice: the row is locked, and the send is recorded in
the same transaction, so a retried or duplicated job does not send again."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from formation.liens import jeton_pour_parent
from formation.models import DemandeAccueilAlternatif, EnfantConcerne, PropositionAccueilAlternatif
from relais.emails import envoyer_pour_le_relais
from relais.models import Relais


def _envoyer(template: str, destinataire: str, context: dict, relais: Relais | None = None) -> None:
    envoyer_pour_le_relais(f"formation/emails/{template}", destinataire, context, relais)


@transaction.atomic
def inviter_parent(*, enfant_concerne_id: int) -> bool:
    enfant = (
        EnfantConcerne.objects.select_for_update(of=("self",))
        .select_related("accueil", "inscription__session__relais__commune_siege", "inscription__assistant_maternel")
        .filter(pk=enfant_concerne_id)
        .order_by("pk")
        .first()
    )
    if enfant is None or not enfant.email_parent or enfant.invitation_envoyee_le:
        return False
    lien = settings.SITE_URL + reverse("formation:demande_parent", args=[jeton_pour_parent(enfant)])
    _envoyer(
        "invitation_parent", enfant.email_parent, {"enfant": enfant, "lien": lien}, enfant.inscription.session.relais
    )
    enfant.invitation_envoyee_le = timezone.now()
    enfant.save(update_fields=["invitation_envoyee_le"])
    return True


@transaction.atomic
def notifier_relais_demande(*, demande_id: int) -> bool:
    demande = (
        DemandeAccueilAlternatif.objects.select_for_update(of=("self",))
        .select_related("relais", "inscription__session", "inscription__assistant_maternel")
        .filter(pk=demande_id)
        .order_by("pk")
        .first()
    )
    if demande is None or demande.relais_notifie_le or not demande.relais.email:
        return False
    lien = settings.SITE_URL + reverse("formation:demande_alternative", args=[demande.pk])
    _envoyer("demande_relais", demande.relais.email, {"demande": demande, "lien": lien})
    demande.relais_notifie_le = timezone.now()
    demande.save(update_fields=["relais_notifie_le"])
    return True


@transaction.atomic
def notifier_parent_proposition(*, proposition_id: int) -> bool:
    proposition = (
        PropositionAccueilAlternatif.objects.select_for_update(of=("self",))
        .select_related("demande__relais", "assistant_maternel__commune", "structure__commune")
        .filter(pk=proposition_id)
        .order_by("pk")
        .first()
    )
    if proposition is None or proposition.parent_notifie_le or not proposition.demande.email_parent:
        return False
    lien = settings.SITE_URL + reverse("formation:mes_demandes")
    _envoyer(
        "proposition_parent",
        proposition.demande.email_parent,
        {"proposition": proposition, "lien": lien},
        proposition.demande.relais,
    )
    proposition.parent_notifie_le = timezone.now()
    proposition.save(update_fields=["parent_notifie_le"])
    return True
