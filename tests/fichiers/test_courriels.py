"""What a family or a childminder types cannot add a header to an e-mail, nor a line to its subject or body.

Every name below holds CR/LF followed by a header and by a line of its own; each e-mail it reaches must keep
exactly the headers the portal wrote, a one-line subject, and no line that the sender did not write.
"""

import re
from datetime import date, timedelta
from email.utils import parseaddr
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from assmats import selectors as assmats_selectors
from assmats.emails import (
    envoyer_proposition_entretien,
    envoyer_relance_affichage,
    notifier_relais_sous_activite,
    rappeler_agrements_expires,
    rappeler_disponibilites_perimees,
    rappeler_echeance_legale,
    transmettre_message_au_relais,
)
from assmats.models import RelanceAffichage
from comptes.emails import envoyer_bienvenue
from comptes.models import Role
from comptes.services import creer_compte_personnel
from courriels.services import envoyer_en_attente
from demandes.models import Demande
from demandes.services import (
    annuler_rendez_vous,
    deplacer_rendez_vous,
    deposer,
    enregistrer_proposition,
    notifier_animatrice,
    prendre_en_charge,
    proposer_rendez_vous,
)
from formation.emails import inviter_parent, notifier_parent_proposition, notifier_relais_demande
from insertion.services import attribuer_place_avip, rappeler_fins_de_periode
from orientations.services import orienter
from relais.models import Relais
from tests.assmats.factories import (
    AgrementFactory,
    AssistantMaternelFactory,
    DisponibiliteFactory,
    EntretienFactory,
    SignalementFactory,
)
from tests.demandes.conftest import donnees_valides
from tests.factories import CommuneFactory, MembreRelaisFactory, RelaisFactory, UserFactory
from tests.formation.factories import DemandeAlternativeFactory, EnfantConcerneFactory, PropositionFactory
from tests.insertion.factories import creche_avip, demande_en_insertion
from tests.orientations.factories import MembrePartenaireFactory, donnees_orientation
from tests.tiers_payant.conftest import envoyer as envoyer_la_convention
from tests.tiers_payant.factories import ConventionFactory, assmat_agreee, premier_du_mois, releve
from tiers_payant import emails as tiers_payant_emails
from tiers_payant import selectors as tiers_payant_selectors
from tiers_payant.services import contester_releve

pytestmark = pytest.mark.django_db


def injection(texte: str) -> str:
    return f"{texte}\r\nBcc: pirate@exemple.invalid\r\n\r\nLigne ajoutée"


ENTETES_DU_PORTAIL = {"Content-Type", "MIME-Version", "Content-Transfer-Encoding", "Subject", "From", "To"}
ENTETES_DU_PORTAIL |= {"Date", "Message-ID", "Reply-To", "Cc"}


def verifier_sans_injection(message) -> None:
    envoye = message.message()
    assert set(envoye.keys()) <= ENTETES_DU_PORTAIL
    assert "Bcc" not in envoye
    assert message.bcc == []
    assert "\n" not in message.subject
    assert "\r" not in message.subject
    assert not any(ligne.startswith(("Bcc:", "Ligne ajoutée")) for ligne in message.body.splitlines())


@pytest.fixture
def commune():
    commune = CommuneFactory(nom="Béziers")
    RelaisFactory(nom=injection("RPE de Béziers"), email="rpe@exemple.fr", communes=[commune])
    return commune


def test_a_request_s_e_mails_keep_their_headers_and_lines(commune):
    parent = UserFactory(first_name=injection("Paula"), last_name=injection("Parent"))
    donnees = donnees_valides(
        commune,
        enfant_prenom=injection("Léa"),
        second_responsable_prenom=injection("Pierre"),
        second_responsable_nom=injection("Parent"),
        second_responsable_email="pierre@exemple.fr",
    )

    deposer(parent=parent, donnees=donnees)
    envoyer_en_attente()

    assert len(mail.outbox) == 2  # the confirmation, the second guardian's invitation
    for message in mail.outbox:
        verifier_sans_injection(message)
    invitation = next(m for m in mail.outbox if m.to == ["pierre@exemple.fr"])
    assert "Paula Bcc: pirate@exemple.invalid Ligne ajoutée" in invitation.body


def test_a_childminder_s_name_cannot_add_a_header_to_the_relais_e_mails(commune):
    assmat = AssistantMaternelFactory(
        commune=commune, nom=injection("Nounou"), prenom=injection("Sylvie"), email="s@exemple.fr"
    )
    signalement = SignalementFactory(assistant_maternel=assmat)

    notifier_relais_sous_activite(signalement_id=signalement.pk)
    envoyer_proposition_entretien(entretien_id=EntretienFactory(signalement=signalement).pk)
    envoyer_en_attente()

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        verifier_sans_injection(message)
    assert "Sylvie Bcc: pirate@exemple.invalid Ligne ajoutée" in mail.outbox[0].subject


# --- Links and senders -------------------------------------------------------------------------------------------

SITE = "https://guichet.exemple.fr"
LIEN = re.compile(r"(?:https?://|www\.)[^\s<>\"']+")


@pytest.fixture
def site(settings):
    """The configured base URL differs from the host the requests arrive on (a forged or internal Host)."""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["pirate.exemple"]
    return SITE


def _jour_du_rappel_legal():
    jour = timezone.localdate()
    while not assmats_selectors.jour_du_rappel_legal(jour):
        jour += timedelta(days=1)
    return timezone.make_aware(timezone.datetime(jour.year, jour.month, jour.day, 8))


def _tous_les_courriels(client, commune) -> list:
    """Every kind of e-mail the portal sends, each by the code path that really sends it."""
    relais = commune.relais.get()
    # allauth: sign-up confirmation, password reset, unknown account, through requests on another host.
    hote = {"HTTP_HOST": "pirate.exemple"}
    client.post(
        reverse("account_signup"),
        {
            "role": "parent",
            "first_name": "Amina",
            "last_name": "Benali",
            "email": "amina@exemple.fr",
            "password1": "Petite-enfance-2026!",
            "password2": "Petite-enfance-2026!",
        },
        **hote,
    )
    UserFactory(email="marc@exemple.fr")
    client.post(reverse("account_reset_password"), {"email": "marc@exemple.fr"}, **hote)
    client.post(reverse("account_reset_password"), {"email": "inconnu@exemple.fr"}, **hote)
    # comptes: a new staff account's welcome.
    envoyer_bienvenue(user_id=creer_compte_personnel(email="admin@exemple.fr", role=Role.ADMIN).pk)
    # demandes: confirmation and second guardian's invitation, appointment, a childminder's proposal, a follow-up
    # (the outbox).
    parent = UserFactory()
    deposer(
        parent=parent,
        donnees=donnees_valides(commune, second_responsable_email="pierre@exemple.fr"),
    )
    demande = Demande.objects.get(parent=parent)
    animatrice = MembreRelaisFactory(relais=relais).user
    prendre_en_charge(demande_id=demande.pk, par=animatrice)
    proposer_rendez_vous(
        demande_id=demande.pk, par=animatrice, debut=timezone.now() + timedelta(days=2), modalite="telephone"
    )
    deplacer_rendez_vous(
        demande_id=demande.pk, par=animatrice, debut=timezone.now() + timedelta(days=3), modalite="telephone"
    )
    annuler_rendez_vous(demande_id=demande.pk, par=animatrice, motif="Animatrice absente.")
    Demande.objects.filter(pk=demande.pk).update(statut=Demande.Statut.RDV_REALISE)
    # assmats: under-activity to the relais, interview offer, reminder round, the three automatic reminders, a
    # family's message through the relais.
    assmat = AssistantMaternelFactory(commune=commune, email="s@exemple.fr", affichee=True)
    AgrementFactory(assistant_maternel=assmat)
    enregistrer_proposition(demande_id=demande.pk, par=animatrice, mode="assmat", assistant_maternel_id=assmat.pk)
    notifier_animatrice(demande, "Message de la famille", "La famille a écrit.")
    envoyer_en_attente()
    signalement = SignalementFactory(assistant_maternel=assmat)
    notifier_relais_sous_activite(signalement_id=signalement.pk)
    envoyer_proposition_entretien(entretien_id=EntretienFactory(signalement=signalement).pk)
    relance = RelanceAffichage.objects.create(relais=relais, lancee_par=UserFactory(animateur=True), destinataires=1)
    envoyer_relance_affichage(relance_id=relance.pk)
    DisponibiliteFactory(assistant_maternel=assmat, perimee=True)
    rappeler_disponibilites_perimees()
    AgrementFactory(
        assistant_maternel=AssistantMaternelFactory(commune=commune, email="expire@exemple.fr"), expire=True
    )
    rappeler_agrements_expires()
    with time_machine.travel(_jour_du_rappel_legal(), tick=False):
        rappeler_echeance_legale()
    transmettre_message_au_relais(
        assmat_id=assmat.pk, nom="Nadia Benali", email="nadia@exemple.fr", telephone="", message="Une place ?"
    )
    # formation: the parent's invitation, the request to the relais, the proposal to the parent.
    enfant = EnfantConcerneFactory(inscription__session__relais=relais)
    inviter_parent(enfant_concerne_id=enfant.pk)
    notifier_relais_demande(demande_id=DemandeAlternativeFactory(enfant_concerne=enfant).pk)
    notifier_parent_proposition(proposition_id=PropositionFactory().pk)
    # tiers_payant: a convention sent for signature (each party), a parent's dispute of a statement to the relais.
    parties = SimpleNamespace(
        relais=relais, animatrice=animatrice, parent=UserFactory(), assmat=assmat_agreee(commune=commune)
    )
    convention = envoyer_la_convention(parties, commune_famille=commune)
    tiers_payant_emails.inviter_a_signer(document_id=tiers_payant_selectors.document_a_signer(convention).pk)
    il_y_a_trois_mois = premier_du_mois(premier_du_mois() - timedelta(days=80))
    active = ConventionFactory(
        active=True,
        relais=relais,
        commune_famille=commune,
        assistant_maternel=assmat_agreee(commune=commune),
        date_debut=il_y_a_trois_mois,
    )
    conteste = releve(active, mois=il_y_a_trois_mois)
    contester_releve(releve_id=conteste.pk, par=active.parent, motif="110 h et non 120.")
    tiers_payant_emails.notifier_contestation(releve_id=conteste.pk)
    # insertion: an AVIP place whose period ends in 15 days, reminded to the team and to the family.
    with time_machine.travel(date(2026, 1, 12), tick=False):
        en_insertion = demande_en_insertion()
        attribuer_place_avip(
            demande_id=en_insertion.pk,
            structure_id=creche_avip(en_insertion.relais).pk,
            debut=date(2026, 1, 12),
            par=en_insertion.prise_par,
        )
    with time_machine.travel(date(2026, 3, 28), tick=False):
        rappeler_fins_de_periode()
    # orientations: a France Travail adviser refers a family, which is invited to complete its request.
    orienter(par=MembrePartenaireFactory(partenaire__relais=[relais]).user, donnees=donnees_orientation(commune))
    envoyer_en_attente(lot=100)
    return list(mail.outbox)


def test_every_link_of_every_e_mail_starts_with_the_configured_site_url(client, commune, site):
    courriels = _tous_les_courriels(client, commune)

    liens = [(m.subject, lien) for m in courriels for lien in LIEN.findall(m.body)]
    assert len(liens) >= 15
    assert [(sujet, lien) for sujet, lien in liens if not lien.startswith(SITE + "/")] == []
    assert not any("pirate.exemple" in m.body for m in courriels)


def test_sign_up_and_password_mails_name_the_portal_not_the_host(client, commune, site):
    courriels = _tous_les_courriels(client, commune)

    comptes = [m for m in courriels if m.to[0] in ("amina@exemple.fr", "marc@exemple.fr", "inconnu@exemple.fr")]
    assert len(comptes) == 3
    for message in comptes:
        assert message.subject.startswith("[Guichet RPE] ")
        assert "Guichet RPE" in message.body
        assert "pirate.exemple" not in message.body + message.subject


def test_an_e_mail_about_a_relais_comes_from_the_relais_and_replies_go_to_it(client, commune, site):
    relais = commune.relais.get()
    Relais.objects.filter(pk=relais.pk).update(nom="Béziers", telephone="04 67 00 00 00", adresse="2 rue Paul Riquet")

    courriels = _tous_les_courriels(client, commune)

    nommes = ("pierre@exemple.fr", "s@exemple.fr", "expire@exemple.fr", "parent.de.lenfant@exemple.fr")
    au_nom_du_relais = [m for m in courriels if m.to[0] in nommes]
    # The invitation; to the childminder the interview offer, the reminder round, her three automatic reminders; the
    # expired agrément's; the parent invited during a training.
    assert len(au_nom_du_relais) >= 8
    for message in au_nom_du_relais:
        assert parseaddr(message.from_email) == ("RPE Béziers", "ne-pas-repondre@guichet-rpe.fr")
        assert message.reply_to == ["rpe@exemple.fr"]
        assert "Téléphone : 04 67 00 00 00" in message.body
        assert "Adresse : 2 rue Paul Riquet, " in message.body
    portail = next(m for m in courriels if m.to == ["marc@exemple.fr"])
    assert portail.reply_to == []


def test_every_e_mail_template_on_disk_is_sent_by_one_of_the_kinds_above(client, commune, site):
    """A new template under templates/<app>/emails/ fails here until `_tous_les_courriels` sends it for real, so
    that the link, sender and header checks above reach every e-mail the portal can write."""
    rendus = set()

    def noter(sender, template, context, **kwargs):
        rendus.add(template.name)

    template_rendered.connect(noter)
    try:
        _tous_les_courriels(client, commune)
    finally:
        template_rendered.disconnect(noter)

    racine = Path(settings.BASE_DIR) / "templates"
    sur_disque = {str(chemin.relative_to(racine)) for chemin in racine.glob("*/emails/*.txt")}
    assert len(sur_disque) >= 33
    assert sorted(sur_disque - rendus) == []
