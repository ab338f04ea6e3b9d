"""What a family or a childminder types cannot add a header to an e-mail, nor a line to its subject or body.

Every name below holds CR/LF followed by a header and by a line of its own; each e-mail it reaches must keep
exactly the headers the portal wrote, a one-line subject, and no line that the sender did not write.
"""

import pytest
from django.core import mail

from assmats.emails import envoyer_proposition_entretien, notifier_relais_sous_activite
from demandes.services import deposer, envoyer_emails_en_attente
from tests.assmats.factories import AssistantMaternelFactory, EntretienFactory, SignalementFactory
from tests.demandes.conftest import donnees_valides
from tests.factories import CommuneFactory, RelaisFactory, UserFactory

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
