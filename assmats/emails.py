"""E-mails of the offer, written to the outbox (`courriels`) in the transaction that records what was sent: a
retried or duplicated job sends nothing twice."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assmats import selectors
from assmats.models import Agrement, AssistantMaternel, Entretien, RelanceAffichage, SignalementSousActivite
from comptes.texte import une_ligne
from courriels.services import mettre_en_file
from relais.emails import envoyer_pour_le_relais
from relais.models import Relais
from relais.selectors import get_relais_de_la_commune


def _envoyer(template: str, destinataire: str, context: dict, relais: Relais | None = None) -> None:
    envoyer_pour_le_relais(f"assmats/emails/{template}", destinataire, context, relais)


def notifier_relais_sous_activite(*, signalement_id: int) -> None:
    signalement = SignalementSousActivite.objects.select_related("assistant_maternel__commune").get(pk=signalement_id)
    relais = get_relais_de_la_commune(signalement.assistant_maternel.commune)
    if relais is not None and relais.email:
        _envoyer("sous_activite_relais", relais.email, {"signalement": signalement, "relais": relais})


def transmettre_message_au_relais(*, assmat_id: int, nom: str, email: str, telephone: str, message: str) -> None:
    """From the portal to the relais, replies to the family: the relais answers it or passes the message on."""
    assmat = AssistantMaternel.objects.select_related("commune").get(pk=assmat_id)
    relais = get_relais_de_la_commune(assmat.commune)
    if relais is None or not relais.email:
        return
    context = {"assmat": assmat, "nom": nom, "email": email, "telephone": telephone, "message": message}
    sujet = une_ligne(render_to_string("assmats/emails/message_famille_sujet.txt", context))
    corps = render_to_string("assmats/emails/message_famille.txt", context)
    mettre_en_file(destinataire=relais.email, sujet=sujet, corps=corps, reply_to=email)


def envoyer_proposition_entretien(*, entretien_id: int) -> None:
    entretien = Entretien.objects.select_related("signalement__assistant_maternel__commune").get(pk=entretien_id)
    assmat = entretien.signalement.assistant_maternel
    if assmat.email:
        relais = get_relais_de_la_commune(assmat.commune)
        _envoyer("proposition_entretien", assmat.email, {"entretien": entretien, "assmat": assmat}, relais)


def envoyer_relance_affichage(*, relance_id: int) -> None:
    """Sends to each recipient once, counting progress so the relais can follow it."""
    relance = RelanceAffichage.objects.select_related("relais__commune_siege").get(pk=relance_id)
    if relance.terminee_le:
        return
    destinataires = selectors.destinataires_de_la_relance(relance.relais)[relance.envoyes : relance.destinataires]
    lien = settings.SITE_URL + reverse("assmats:disponibilites")
    for assmat in destinataires:
        contexte = {"assmat": assmat, "relais": relance.relais, "lien": lien}
        with transaction.atomic():
            _envoyer("relance_affichage", assmat.email, contexte, relance.relais)
            RelanceAffichage.objects.filter(pk=relance.pk).update(envoyes=F("envoyes") + 1)
    RelanceAffichage.objects.filter(pk=relance.pk).update(terminee_le=timezone.now())


def _relais_de(assmat: AssistantMaternel, deja_lus: dict[int, Relais | None]) -> Relais | None:
    """Her relais, read once per commune for a whole round of reminders."""
    if assmat.commune_id not in deja_lus:
        deja_lus[assmat.commune_id] = get_relais_de_la_commune(assmat.commune)
    return deja_lus[assmat.commune_id]


def rappeler_disponibilites_perimees() -> int:
    envoyes = 0
    lien = settings.SITE_URL + reverse("assmats:confirmer_disponibilites")
    relais: dict[int, Relais | None] = {}
    for disponibilite in selectors.disponibilites_perimees().select_related("assistant_maternel__commune"):
        assmat = disponibilite.assistant_maternel
        with transaction.atomic():
            _envoyer(
                "disponibilites_perimees",
                assmat.email,
                {"assmat": assmat, "disponibilite": disponibilite, "lien": lien},
                _relais_de(assmat, relais),
            )
            disponibilite.rappel_envoye_le = timezone.now()
            disponibilite.save(update_fields=["rappel_envoye_le"])
        envoyes += 1
    return envoyes


def rappeler_agrements_expires() -> int:
    """Once per expiry: the childminder is hidden from search and matching until renewed."""
    aujourd_hui = timezone.localdate()
    envoyes = 0
    expires = (
        Agrement.objects.filter(date_fin_validite__lt=aujourd_hui, rappel_expiration_envoye_le__isnull=True)
        .exclude(assistant_maternel__email="")
        .select_related("assistant_maternel__commune")
        .order_by("pk")
    )
    lien = settings.SITE_URL + reverse("assmats:agrement")
    relais: dict[int, Relais | None] = {}
    for agrement in expires:
        assmat = agrement.assistant_maternel
        with transaction.atomic():
            _envoyer("agrement_expire", assmat.email, {"agrement": agrement, "lien": lien}, _relais_de(assmat, relais))
            agrement.rappel_expiration_envoye_le = aujourd_hui
            agrement.save(update_fields=["rappel_expiration_envoye_le"])
        envoyes += 1
    return envoyes


@transaction.atomic
def rappeler_echeance_legale() -> int:
    """Two weeks before 1 June and 1 December (décret 2021-1131); beat runs it daily. Nothing marks who got it:
    one transaction, so that a run retried after an error does not write the e-mails of the first twice."""
    aujourd_hui = timezone.localdate()
    if not selectors.jour_du_rappel_legal(aujourd_hui):
        return 0
    echeance = selectors.prochaine_echeance_legale(aujourd_hui)
    lien = settings.SITE_URL + reverse("assmats:disponibilites")
    envoyes = 0
    relais: dict[int, Relais | None] = {}
    destinataires = AssistantMaternel.objects.agrement_valide(aujourd_hui).exclude(email="").select_related("commune")
    for assmat in destinataires.order_by("pk"):
        contexte = {"assmat": assmat, "echeance": echeance, "lien": lien}
        _envoyer("echeance_legale", assmat.email, contexte, _relais_de(assmat, relais))
        envoyes += 1
    return envoyes
