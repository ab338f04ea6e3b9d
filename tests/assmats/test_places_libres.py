"""Free places are derived from the agrément and the children in care, on a date."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assmats.models import AssistantMaternel
from assmats.selectors import avec_places_libres, places_libres
from tests.assmats.factories import AccueilFactory, AgrementFactory, AssistantMaternelFactory

pytestmark = pytest.mark.django_db

AUJOURD_HUI = date(2026, 11, 23)


def _assmat(capacite_totale=4, capacite_moins_3_ans=3, **agrement):
    assmat = AssistantMaternelFactory()
    AgrementFactory(
        assistant_maternel=assmat,
        capacite_totale=capacite_totale,
        capacite_moins_3_ans=capacite_moins_3_ans,
        date_delivrance=date(2024, 1, 1),
        date_fin_validite=date(2029, 1, 1),
        **agrement,
    )
    return assmat


def _bebe(assmat, **kwargs):
    return AccueilFactory(
        assistant_maternel=assmat, date_naissance=date(2025, 6, 1), date_debut=date(2026, 1, 5), **kwargs
    )


def _grand(assmat, **kwargs):
    return AccueilFactory(
        assistant_maternel=assmat, date_naissance=date(2021, 2, 1), date_debut=date(2026, 1, 5), **kwargs
    )


def _en_sql(assmat, au):
    annotee = avec_places_libres(AssistantMaternel.objects.filter(pk=assmat.pk), au).get()
    return annotee.libres_moins_3_ans, annotee.libres_total


def test_sans_enfant_les_places_sont_celles_de_l_agrement():
    assmat = _assmat(capacite_totale=4, capacite_moins_3_ans=3)

    assert places_libres(assmat, AUJOURD_HUI) == (3, 4) == _en_sql(assmat, AUJOURD_HUI)


def test_un_bebe_accueilli_prend_une_place_de_moins_de_3_ans_et_une_place_au_total():
    assmat = _assmat(capacite_totale=4, capacite_moins_3_ans=3)
    _bebe(assmat)

    assert places_libres(assmat, AUJOURD_HUI) == (2, 3) == _en_sql(assmat, AUJOURD_HUI)


def test_un_grand_ne_prend_qu_une_place_au_total():
    assmat = _assmat(capacite_totale=4, capacite_moins_3_ans=3)
    _grand(assmat)

    assert places_libres(assmat, AUJOURD_HUI) == (3, 3) == _en_sql(assmat, AUJOURD_HUI)


def test_les_places_de_moins_de_3_ans_ne_depassent_pas_les_places_restantes_au_total():
    assmat = _assmat(capacite_totale=3, capacite_moins_3_ans=3)
    _grand(assmat)
    _grand(assmat)

    assert places_libres(assmat, AUJOURD_HUI) == (1, 1) == _en_sql(assmat, AUJOURD_HUI)


def test_un_enfant_qui_a_3_ans_libere_une_place_de_moins_de_3_ans():
    assmat = _assmat(capacite_totale=4, capacite_moins_3_ans=1)
    AccueilFactory(assistant_maternel=assmat, date_naissance=date(2023, 12, 10), date_debut=date(2026, 1, 5))

    avant, apres = date(2026, 12, 9), date(2026, 12, 10)
    assert places_libres(assmat, avant).moins_3_ans == 0 == _en_sql(assmat, avant)[0]
    assert places_libres(assmat, apres).moins_3_ans == 1 == _en_sql(assmat, apres)[0]


def test_un_accueil_termine_ne_compte_plus_apres_sa_date_de_fin():
    assmat = _assmat(capacite_totale=4, capacite_moins_3_ans=3)
    _bebe(assmat, date_fin=date(2026, 12, 31))

    assert places_libres(assmat, date(2026, 12, 31)).plus_3_ans == 3
    assert places_libres(assmat, date(2027, 1, 1)) == (3, 4) == _en_sql(assmat, date(2027, 1, 1))


def test_un_accueil_qui_commence_plus_tard_ne_compte_pas_encore():
    assmat = _assmat()
    AccueilFactory(assistant_maternel=assmat, date_naissance=date(2025, 6, 1), date_debut=date(2027, 3, 1))

    assert places_libres(assmat, AUJOURD_HUI) == (3, 4) == _en_sql(assmat, AUJOURD_HUI)


def test_sans_agrement_valide_aucune_place():
    assmat = AssistantMaternelFactory()
    AgrementFactory(assistant_maternel=assmat, date_delivrance=date(2020, 1, 1), date_fin_validite=date(2025, 12, 31))

    assert places_libres(assmat, AUJOURD_HUI) == (0, 0) == _en_sql(assmat, AUJOURD_HUI)
    assert places_libres(AssistantMaternelFactory(), AUJOURD_HUI) == (0, 0)


def test_plus_d_enfants_que_l_agrement_ne_donne_jamais_de_places_negatives():
    assmat = _assmat(capacite_totale=2, capacite_moins_3_ans=1)
    for _ in range(3):
        _bebe(assmat)

    assert places_libres(assmat, AUJOURD_HUI) == (0, 0) == _en_sql(assmat, AUJOURD_HUI)


def test_le_jour_meme_par_defaut():
    assmat = _assmat()
    AccueilFactory(assistant_maternel=assmat, date_debut=timezone.localdate() + timedelta(days=1))

    assert places_libres(assmat, timezone.localdate()).plus_3_ans == 4
