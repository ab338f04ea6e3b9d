"""Two animators click « prendre en charge » at the same moment: real transactions, in threads."""

import threading

import pytest
from django.db import connections, transaction

from demandes import services
from demandes.models import Demande, HistoriqueDemande, Statut
from tests.demandes.factories import DemandeFactory
from tests.factories import MembreRelaisFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAIRES = 15


def prendre_naivement(*, demande_id, par):
    """What the service must not be: read, check, save, with nothing held between the read and the write."""
    with transaction.atomic():
        demande = Demande.objects.get(pk=demande_id)
        if demande.statut != Statut.NOUVELLE:
            raise services.TransitionInterdite("déjà prise")
        demande.statut, demande.prise_par = Statut.PRISE_EN_CHARGE, par
        demande.save(update_fields=["statut", "prise_par", "updated_at"])
        HistoriqueDemande.objects.create(demande=demande, de=Statut.NOUVELLE, vers=demande.statut, auteur=par)


def _en_meme_temps(prendre, demande, animatrices):
    """Both threads start their transaction at a barrier; returns (successes, refusal messages)."""
    barriere = threading.Barrier(len(animatrices))
    reussites, refus = [], []

    def cliquer(animatrice):
        try:
            barriere.wait(timeout=10)
            prendre(demande_id=demande.pk, par=animatrice)
            reussites.append(animatrice)
        except services.TransitionInterdite as exc:
            refus.append(str(exc))
        finally:
            connections.close_all()

    fils = [threading.Thread(target=cliquer, args=(a,)) for a in animatrices]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=30)
    return reussites, refus


def _paire():
    demande = DemandeFactory()
    return demande, [MembreRelaisFactory(relais=demande.relais).user for _ in range(2)]


def test_deux_animatrices_prennent_la_meme_demande_une_seule_reussit():
    for _ in range(PAIRES):
        demande, animatrices = _paire()

        reussites, refus = _en_meme_temps(services.prendre_en_charge, demande, animatrices)

        assert len(reussites) == 1, refus
        gagnante = reussites[0]
        assert refus == [f"Cette demande a déjà été prise en charge par {gagnante.get_full_name()}."]
        demande.refresh_from_db()
        assert demande.prise_par == gagnante
        assert demande.historique.count() == 1


def test_la_version_naive_lire_puis_enregistrer_laisse_passer_deux_prises():
    """Shows that the test above would catch a service without the row lock: the race happens here."""
    doubles = 0
    for _ in range(PAIRES):
        demande, animatrices = _paire()
        reussites, _ = _en_meme_temps(prendre_naivement, demande, animatrices)
        doubles += len(reussites) == 2

    assert doubles >= 1, "la course n'a jamais été observée : le test de concurrence ne prouverait rien"
