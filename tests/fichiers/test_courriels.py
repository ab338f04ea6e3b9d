"""What a family or a childminder types cannot add a header to an e-mail, nor a line to its subject or body.

Every name below holds CR/LF followed by a header and by a line of its own; each e-mail it reaches must keep
exactly the headers the portal wrote, a one-line subject, and no line that the sender did not write.
"""

import re
from email.utils import parseaddr

import pytest
from django.core import mail
from django.urls import reverse

from assmats.emails import envoyer_proposition_entretien, envoyer_relance_affichage, notifier_relais_sous_activite
from assmats.models import RelanceAffichage
from demandes.services import deposer, envoyer_emails_en_attente
from formation.emails import notifier_parent_proposition
from relais.models import Relais
from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory, EntretienFactory, SignalementFactory
from tests.demandes.conftest import donnees_valides
from tests.factories import CommuneFactory, RelaisFactory, UserFactory
from tests.formation.factories import PropositionFactory

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
    envoyer_emails_en_attente()

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
    # demandes: confirmation and second guardian's invitation (the outbox).
    parent = UserFactory()
    deposer(
        parent=parent,
        donnees=donnees_valides(commune, second_responsable_email="pierre@exemple.fr"),
    )
    envoyer_emails_en_attente()
    # assmats: under-activity to the relais, interview offer, reminder round.
    assmat = AssistantMaternelFactory(commune=commune, email="s@exemple.fr")
    AgrementFactory(assistant_maternel=assmat)
    signalement = SignalementFactory(assistant_maternel=assmat)
    notifier_relais_sous_activite(signalement_id=signalement.pk)
    envoyer_proposition_entretien(entretien_id=EntretienFactory(signalement=signalement).pk)
    relance = RelanceAffichage.objects.create(relais=relais, lancee_par=UserFactory(animateur=True), destinataires=1)
    envoyer_relance_affichage(relance_id=relance.pk)
    # formation: the proposal to the parent.
    notifier_parent_proposition(proposition_id=PropositionFactory().pk)
    return list(mail.outbox)


def test_every_link_of_every_e_mail_starts_with_the_configured_site_url(client, commune, site):
    courriels = _tous_les_courriels(client, commune)

    assert len(courriels) >= 9
    liens = [(m.subject, lien) for m in courriels for lien in LIEN.findall(m.body)]
    assert len(liens) >= len(courriels) - 1  # the interview offer has no link
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

    au_nom_du_relais = [m for m in courriels if m.to[0] in ("pierre@exemple.fr", "s@exemple.fr")]
    assert len(au_nom_du_relais) >= 3  # the invitation, the interview offer, the reminder round
    for message in au_nom_du_relais:
        assert parseaddr(message.from_email) == ("RPE Béziers", "ne-pas-repondre@guichet-rpe.fr")
        assert message.reply_to == ["rpe@exemple.fr"]
        assert "Téléphone : 04 67 00 00 00" in message.body
        assert "Adresse : 2 rue Paul Riquet, " in message.body
    portail = next(m for m in courriels if m.to == ["marc@exemple.fr"])
    assert portail.reply_to == []
