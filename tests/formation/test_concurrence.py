"""Many childminders click « m'inscrire » on the last seats at the same moment: real transactions, in threads."""

import threading

import pytest
from django.db import connections

from formation import services
from formation.models import Inscription
from tests.assmats.factories import AssistantMaternelFactory
from tests.formation.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

CANDIDATES = 6
PLACES = 2


def _en_meme_temps(session, assmats):
    """Every thread starts its transaction at a barrier; returns (enrolments, refusal messages)."""
    barriere = threading.Barrier(len(assmats))
    reussites, refus = [], []

    def cliquer(assmat):
        try:
            barriere.wait(timeout=10)
            reussites.append(services.demander_inscription(session_id=session.pk, par=assmat.user))
        except services.ActionRefusee as exc:
            refus.append(str(exc))
        finally:
            connections.close_all()

    fils = [threading.Thread(target=cliquer, args=(a,)) for a in assmats]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=30)
    return reussites, refus


def test_des_inscriptions_simultanees_ne_depassent_jamais_la_capacite():
    for _ in range(5):
        session = SessionFactory(capacite=PLACES, intitule="Premiers secours")
        assmats = [AssistantMaternelFactory(commune=session.commune) for _ in range(CANDIDATES)]

        reussites, refus = _en_meme_temps(session, assmats)

        assert len(reussites) == PLACES
        assert refus == ["La session « Premiers secours » est complète : il ne reste plus de place."] * (
            CANDIDATES - PLACES
        )
        assert Inscription.objects.filter(session=session).count() == PLACES
