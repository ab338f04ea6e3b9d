"""The outbox of every e-mail: written in the caller's transaction, sent once by the drain, retried later and
later when the mail server fails, given up after `TENTATIVES_MAX` with the error kept, erased by address."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from courriels import services
from courriels.models import Email
from courriels.services import TENTATIVES_MAX, effacer_pour_adresse, envoyer_en_attente, mettre_en_file

pytestmark = pytest.mark.django_db


class ServeurEnPanne(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connexion au serveur SMTP refusée")


@pytest.fixture
def serveur_en_panne(settings):
    settings.COURRIELS_BACKEND_REEL = f"{__name__}.ServeurEnPanne"


def _bienvenue(destinataire="claire@exemple.fr", **kwargs) -> Email:
    return mettre_en_file(destinataire=destinataire, sujet="Bienvenue", corps="Bonjour Claire", **kwargs)


@pytest.mark.django_db(transaction=True)
def test_un_e_mail_mis_en_file_dans_une_transaction_annulee_ne_part_jamais():
    def modifier_puis_echouer():
        with transaction.atomic():
            _bienvenue()
            raise RuntimeError("la modification échoue après l'e-mail")

    with pytest.raises(RuntimeError):
        modifier_puis_echouer()

    envoyer_en_attente()

    assert not Email.objects.exists()
    assert mail.outbox == []


def test_la_file_est_videe_une_fois_la_transaction_validee(django_capture_on_commit_callbacks, monkeypatch):
    demandes_de_vidage = []
    monkeypatch.setattr(services, "demander_envoi", lambda: demandes_de_vidage.append(1))

    with django_capture_on_commit_callbacks(execute=True):
        _bienvenue()
        _bienvenue(destinataire="marc@exemple.fr")

    assert demandes_de_vidage == [1]  # one drain for the transaction's two e-mails


def test_un_second_passage_du_vidage_n_envoie_rien_deux_fois():
    _bienvenue()

    assert envoyer_en_attente() == 1
    assert envoyer_en_attente() == 0

    assert [m.to for m in mail.outbox] == [["claire@exemple.fr"]]
    assert Email.objects.get().envoye_at is not None


def test_l_e_mail_part_avec_l_expediteur_la_reponse_et_la_piece_jointe_demandes():
    _bienvenue(
        expediteur='"RPE Clapiers" <ne-pas-repondre@guichet-rpe.fr>',
        reply_to=["rpe@clapiers.fr"],
        piece_jointe=("rendez-vous.ics", "text/calendar", "BEGIN:VCALENDAR"),
    )

    envoyer_en_attente()

    (message,) = mail.outbox
    assert (message.from_email, message.reply_to) == (
        '"RPE Clapiers" <ne-pas-repondre@guichet-rpe.fr>',
        ["rpe@clapiers.fr"],
    )
    assert message.attachments == [("rendez-vous.ics", "BEGIN:VCALENDAR", "text/calendar")]


def test_sans_expediteur_l_e_mail_part_au_nom_du_portail():
    _bienvenue()

    envoyer_en_attente()

    assert (mail.outbox[0].from_email, mail.outbox[0].reply_to) == (settings.DEFAULT_FROM_EMAIL, [])


def test_un_serveur_en_panne_fait_reessayer_plus_tard_de_plus_en_plus_loin(serveur_en_panne):
    email = _bienvenue()
    debut = timezone.now()

    with time_machine.travel(debut, tick=False):
        assert envoyer_en_attente() == 0
        assert envoyer_en_attente() == 0  # not due yet: the row is not tried again at once
    email.refresh_from_db()
    assert (email.tentatives, email.envoye_at, email.abandonne_le) == (1, None, None)
    assert email.derniere_erreur == "Connexion au serveur SMTP refusée"
    assert email.prochain_essai_le == debut + timedelta(minutes=1)

    with time_machine.travel(email.prochain_essai_le, tick=False):
        envoyer_en_attente()
    email.refresh_from_db()
    assert email.tentatives == 2
    assert email.prochain_essai_le == debut + timedelta(minutes=1) + timedelta(minutes=2)


def test_apres_la_derniere_tentative_l_e_mail_est_abandonne_avec_son_erreur(serveur_en_panne):
    email = _bienvenue()
    Email.objects.filter(pk=email.pk).update(tentatives=TENTATIVES_MAX - 1)

    envoyer_en_attente()

    email.refresh_from_db()
    assert email.tentatives == TENTATIVES_MAX
    assert email.abandonne_le is not None
    assert email.derniere_erreur == "Connexion au serveur SMTP refusée"
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert envoyer_en_attente() == 0


def test_un_e_mail_en_echec_ne_retient_pas_les_suivants(settings, serveur_en_panne):
    en_echec = _bienvenue()
    envoyer_en_attente()
    settings.COURRIELS_BACKEND_REEL = "django.core.mail.backends.locmem.EmailBackend"
    _bienvenue(destinataire="marc@exemple.fr")

    envoyer_en_attente()

    assert [m.to for m in mail.outbox] == [["marc@exemple.fr"]]
    en_echec.refresh_from_db()
    assert en_echec.envoye_at is None


def test_le_send_mail_de_django_passe_par_la_file():
    send_mail("Réinitialisation", "Votre lien", None, ["claire@exemple.fr", "marc@exemple.fr"])

    assert mail.outbox == []
    assert sorted(Email.objects.values_list("destinataire", flat=True)) == ["claire@exemple.fr", "marc@exemple.fr"]
    envoyer_en_attente()
    assert sorted(m.to[0] for m in mail.outbox) == ["claire@exemple.fr", "marc@exemple.fr"]
    assert {m.subject for m in mail.outbox} == {"Réinitialisation"}


def test_un_message_passe_par_le_backend_garde_son_expediteur_sa_reponse_et_sa_piece_jointe():
    message = EmailMessage("Rendez-vous", "Le 3 mars", '"RPE Clapiers" <rpe@guichet.fr>', ["claire@exemple.fr"])
    message.reply_to = ["rpe@clapiers.fr"]
    message.attach("rendez-vous.ics", b"BEGIN:VCALENDAR", "text/calendar")
    message.send()

    envoyer_en_attente()

    (envoye,) = mail.outbox
    assert (envoye.from_email, envoye.reply_to) == ('"RPE Clapiers" <rpe@guichet.fr>', ["rpe@clapiers.fr"])
    assert envoye.attachments == [("rendez-vous.ics", "BEGIN:VCALENDAR", "text/calendar")]


def test_l_effacement_par_adresse_supprime_les_e_mails_envoyes_et_en_attente_de_cette_adresse_seulement():
    _bienvenue(destinataire="Claire@Exemple.fr")
    envoyer_en_attente()
    _bienvenue()
    autre = _bienvenue(destinataire="marc@exemple.fr")

    assert effacer_pour_adresse("claire@exemple.fr") == 2

    assert list(Email.objects.values_list("pk", flat=True)) == [autre.pk]


# A module of ours sends only through the outbox: `courriels` alone reaches a real connection. allauth's mails
# go through EMAIL_BACKEND, which is the outbox (our adapter hands them to allauth's `send_mail`).
ENVOI_DIRECT = re.compile(
    r"\b(EmailMessage|EmailMultiAlternatives|send_mail|send_mass_mail|mail_admins|mail_managers|get_connection)\("
)
PAR_LA_FILE = {("comptes/adapters.py", "super().send_mail(template_prefix, email, context)")}


def _modules_du_projet(racine: Path):
    for dossier in sorted(racine.iterdir()):
        if dossier.is_dir() and dossier.name not in {"courriels", "tests", "node_modules", "static", "var"}:
            if not dossier.name.startswith("."):
                yield from (p for p in sorted(dossier.rglob("*.py")) if "migrations" not in p.parts)
        elif dossier.suffix == ".py":
            yield dossier


def test_aucun_module_hors_de_courriels_n_envoie_d_e_mail_directement():
    racine = Path(settings.BASE_DIR)
    envois = []
    for chemin in _modules_du_projet(racine):
        relatif = str(chemin.relative_to(racine))
        for ligne in chemin.read_text(encoding="utf-8").splitlines():
            code = ligne.strip()
            if ENVOI_DIRECT.search(code) and not code.startswith("def ") and (relatif, code) not in PAR_LA_FILE:
                envois.append(f"{relatif}: {code}")

    assert envois == []
