"""Mission 2 (b) of a past year is computed from the display history as it stood at the reference date, not from
today's consent and latest confirmation: the CAF evaluates year N-1 until 31 March N, while childminders keep
confirming and changing their minds. The expected numbers come from the definition, by hand."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from assmats import services
from assmats.models import AssistantMaternel, Disponibilite
from indicateurs import calculs
from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory
from tests.factories import RelaisFactory
from tests.indicateurs.scenario import N, dt

pytestmark = pytest.mark.django_db


def _le(moment):
    return time_machine.travel(moment, tick=False)


def _agreee(commune, *, affichee: bool) -> AssistantMaternel:
    assmat = AssistantMaternelFactory(commune=commune, afficher_disponibilites=affichee)
    AgrementFactory(assistant_maternel=assmat, date_delivrance=date(2020, 1, 1), date_fin_validite=date(2030, 1, 1))
    return assmat


def _declarer(assmat: AssistantMaternel) -> None:
    services.declarer_disponibilites(
        disponibilite=Disponibilite(
            assistant_maternel=assmat, a_partir_du=date(2026, 1, 5), jours=[0, 1, 3, 4], places_moins_3_ans=1
        )
    )


def _consentir(assmat: AssistantMaternel, affiche: bool) -> None:
    fiche = AssistantMaternel.objects.get(pk=assmat.pk)
    fiche.afficher_disponibilites = affiche
    services.enregistrer_profil(assmat=fiche)


def test_mission_2b_d_une_annee_passee_compte_l_etat_au_31_decembre():
    """R = 31/12/2025; a confirmation counts from 1/10/2025 00:00 (the 3 months ending at the end of R)."""
    relais = RelaisFactory()
    commune = relais.commune_siege
    with _le(dt(2025, 9, 1)):
        a, c, d = (_agreee(commune, affichee=True) for _ in range(3))
        b = _agreee(commune, affichee=False)
    with _le(dt(2025, 9, 30, 23)):
        _declarer(d)  # confirmed one hour before the window opens
    with _le(dt(2025, 11, 15)):
        for assmat in (a, b, c):
            _declarer(assmat)
    with _le(dt(2026, 2, 1)):
        services.confirmer_disponibilites(assmat=a)  # confirmed again after R: she was already shown on R
        _consentir(b, True)  # consents after R: not shown on R
        _consentir(c, False)  # withdraws after R: shown on R

    resultat = calculs.mission_2b_disponibilites([relais.pk], N)[relais.pk]

    assert resultat.detail["reference"] == "2025-12-31"
    assert resultat.ids_denominateur == sorted([a.pk, b.pk, c.pk, d.pk])
    assert resultat.ids_numerateur == sorted([a.pk, c.pk])
    # 2 / 4 = 50 % ≥ 30 %
    assert (resultat.numerateur, resultat.denominateur) == (2, 4)
    assert resultat.valeur == Decimal("0.5000")
    assert resultat.atteint is True


def test_mission_2b_d_une_annee_passee_ne_bouge_plus_apres_le_31_decembre():
    """Same figure and same fingerprint before and after the childminders' changes of the next year."""
    relais = RelaisFactory()
    with _le(dt(2025, 9, 1)):
        a = _agreee(relais.commune_siege, affichee=True)
        b = _agreee(relais.commune_siege, affichee=False)
    with _le(dt(2025, 12, 10)):
        _declarer(a)
        _declarer(b)
    avant = calculs.mission_2b_disponibilites([relais.pk], N)[relais.pk]

    with _le(dt(2026, 3, 1)):
        services.confirmer_disponibilites(assmat=a)
        _consentir(a, False)
        _consentir(b, True)
    apres = calculs.mission_2b_disponibilites([relais.pk], N)[relais.pk]

    assert (
        (apres.ids_numerateur, apres.ids_denominateur)
        == (avant.ids_numerateur, avant.ids_denominateur)
        == (
            [a.pk],
            sorted([a.pk, b.pk]),
        )
    )
    assert apres.empreinte == avant.empreinte


def test_mission_2b_de_l_annee_en_cours_suit_le_consentement_du_jour():
    relais = RelaisFactory()
    a = _agreee(relais.commune_siege, affichee=True)
    _declarer(a)
    annee = timezone.localdate().year

    avant = calculs.mission_2b_disponibilites([relais.pk], annee)[relais.pk]
    _consentir(a, False)
    apres = calculs.mission_2b_disponibilites([relais.pk], annee)[relais.pk]

    assert (avant.ids_numerateur, apres.ids_numerateur) == ([a.pk], [])
