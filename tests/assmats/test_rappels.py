from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from assmats import tasks
from assmats.selectors import jour_du_rappel_legal, prochaine_echeance_legale
from courriels.services import envoyer_en_attente
from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory, assmat_complete

pytestmark = pytest.mark.django_db


def test_une_disponibilite_perimee_declenche_un_seul_rappel():
    assmat = assmat_complete(email="lea@exemple.fr")
    assmat.disponibilite.confirmee_le = timezone.now() - timedelta(days=100)
    assmat.disponibilite.save()

    assert tasks.rappeler_disponibilites_perimees() == 1
    assert tasks.rappeler_disponibilites_perimees() == 0
    envoyer_en_attente()
    assert mail.outbox[0].to == ["lea@exemple.fr"]
    assert "/assmats/mes-disponibilites/confirmer/" in mail.outbox[0].body


def test_apres_une_nouvelle_confirmation_puis_peremption_un_nouveau_rappel_part():
    assmat = assmat_complete()
    disponibilite = assmat.disponibilite
    disponibilite.confirmee_le = timezone.now() - timedelta(days=100)
    disponibilite.save()
    tasks.rappeler_disponibilites_perimees()

    disponibilite.confirmee_le = timezone.now() - timedelta(days=95)
    disponibilite.rappel_envoye_le = timezone.now() - timedelta(days=96)
    disponibilite.save()

    assert tasks.rappeler_disponibilites_perimees() == 1


def test_une_disponibilite_fraiche_ne_declenche_rien():
    assmat_complete()

    assert tasks.rappeler_disponibilites_perimees() == 0


def test_un_agrement_expire_declenche_un_rappel_une_seule_fois():
    assmat = AssistantMaternelFactory(email="odile@exemple.fr")
    AgrementFactory(assistant_maternel=assmat, expire=True, numero="AGR-EXP")

    assert tasks.rappeler_agrements_expires() == 1
    assert tasks.rappeler_agrements_expires() == 0
    envoyer_en_attente()
    assert "AGR-EXP" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("jour", "echeance"),
    [(date(2026, 3, 1), date(2026, 6, 1)), (date(2026, 6, 1), date(2026, 6, 1)), (date(2026, 6, 2), date(2026, 12, 1)),
     (date(2026, 12, 2), date(2027, 6, 1))],
)  # fmt: skip
def test_les_echeances_legales_sont_le_1er_juin_et_le_1er_decembre(jour, echeance):
    assert prochaine_echeance_legale(jour) == echeance


def test_le_rappel_legal_part_deux_semaines_avant_l_echeance():
    assert jour_du_rappel_legal(date(2026, 5, 18))
    assert jour_du_rappel_legal(date(2026, 11, 17))
    assert not jour_du_rappel_legal(date(2026, 11, 18))


def test_le_rappel_legal_est_envoye_aux_assmats_agreees_le_bon_jour():
    AgrementFactory(assistant_maternel__email="a@exemple.fr")
    AgrementFactory(
        assistant_maternel__email="expire@exemple.fr",
        date_delivrance=date(2020, 1, 1),
        date_fin_validite=date(2026, 10, 1),
    )

    with time_machine.travel(datetime(2026, 11, 17, 9, 10, tzinfo=timezone.get_current_timezone())):
        assert tasks.rappeler_echeance_legale() == 1
    with time_machine.travel(datetime(2026, 11, 18, 9, 10, tzinfo=timezone.get_current_timezone())):
        assert tasks.rappeler_echeance_legale() == 0
    envoyer_en_attente()
    assert mail.outbox[0].to == ["a@exemple.fr"]
    assert "1 décembre 2026" in mail.outbox[0].subject
