"""The e-mail outbox: a submission while the broker is down is saved, and its e-mail leaves once, later."""

import contextlib

import pytest
from django.core import mail
from django.db import transaction

from config.celery import app
from courriels.models import Email
from courriels.tasks import envoyer_en_attente
from demandes import services
from demandes.models import Demande
from tests.demandes.conftest import donnees_valides

pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def broker_injoignable():
    """Points Celery at a closed port, as when Redis is stopped, and restores it afterwards."""
    ancien = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        app.conf.broker_url = ancien
        app._pool, app.amqp._producer_pool = None, None


def test_un_depot_pendant_une_panne_du_broker_est_enregistre_et_son_e_mail_part_une_fois_ensuite(
    parent, relais, caplog
):
    with broker_injoignable():
        demande = services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege))

    assert "Broker indisponible" in caplog.text

    assert Demande.objects.filter(pk=demande.pk).exists()
    assert Email.objects.get().envoye_at is None
    assert mail.outbox == []

    # The beat schedule (or the next on-commit) drains the outbox once the broker is back.
    envoyer_en_attente()
    envoyer_en_attente()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [parent.email]
    assert demande.reference in mail.outbox[0].subject
    assert Email.objects.get().envoye_at is not None


def test_un_e_mail_d_une_transaction_annulee_n_existe_pas_et_ne_part_jamais(parent, relais):
    def deposer_puis_echouer():
        with transaction.atomic():
            services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege))
            raise RuntimeError("échec après le dépôt")

    with pytest.raises(RuntimeError):
        deposer_puis_echouer()

    envoyer_en_attente()

    assert not Demande.objects.exists()
    assert not Email.objects.exists()
    assert mail.outbox == []


def test_le_rendez_vous_arrive_avec_son_fichier_ics(parent, relais, animatrice):
    from datetime import timedelta

    from django.utils import timezone

    demande = services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege))
    services.prendre_en_charge(demande_id=demande.pk, par=animatrice)
    services.proposer_rendez_vous(
        demande_id=demande.pk,
        par=animatrice,
        debut=timezone.now() + timedelta(days=3),
        modalite="sur_place",
        lieu="Relais, 1 place de la Mairie",
    )

    envoyer_en_attente()

    rdv = next(m for m in mail.outbox if "Rendez-vous" in m.subject)
    nom, contenu, type_ = rdv.attachments[0]
    assert (nom, type_) == ("rendez-vous.ics", "text/calendar")
    assert "LOCATION:Relais\\, 1 place de la Mairie" in contenu
