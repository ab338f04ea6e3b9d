"""Free places are derived from the agrément and the children in care, on a date."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assmats.models import AssistantMaternel
from assmats.selectors import PlacesLibres, avec_places_libres, places_libres
from tests.assmats.factories import AccueilFactory, AgrementFactory, AssistantMaternelFactory
from tests.tiers_payant.factories import ConventionFactory

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


def _convention(assmat, **kwargs):
    kwargs.setdefault("enfant_naissance", date(2025, 6, 1))
    return ConventionFactory(
        active=True,
        assistant_maternel=assmat,
        relais__commune_siege=assmat.commune,
        date_debut=date(2026, 9, 1),
        **kwargs,
    )


def test_l_enfant_d_une_convention_de_tiers_payant_prend_une_place_meme_sans_accueil_saisi():
    assmat = _assmat(capacite_totale=4, capacite_moins_3_ans=3)
    _convention(assmat)

    assert places_libres(assmat, AUJOURD_HUI) == (2, 3)


def test_l_enfant_d_une_convention_saisi_aussi_comme_accueil_ne_compte_qu_une_fois():
    assmat = _assmat(capacite_totale=4, capacite_moins_3_ans=3)
    _convention(assmat, enfant_prenom="Lina")
    _bebe(assmat, prenom_enfant="LINA")

    assert places_libres(assmat, AUJOURD_HUI) == (2, 3)


def test_une_convention_pas_encore_signee_ne_prend_pas_de_place():
    assmat = _assmat(capacite_totale=4, capacite_moins_3_ans=3)
    ConventionFactory(envoyee=True, assistant_maternel=assmat, relais__commune_siege=assmat.commune)

    assert places_libres(assmat, AUJOURD_HUI) == (3, 4)


def test_une_convention_terminee_libere_la_place_le_lendemain_de_sa_fin():
    assmat = _assmat(capacite_totale=4, capacite_moins_3_ans=3)
    _convention(assmat, statut="terminee", date_fin_effective=date(2026, 11, 30))

    assert places_libres(assmat, date(2026, 11, 30)) == (2, 3)
    assert places_libres(assmat, date(2026, 12, 1)) == (3, 4)


@pytest.mark.parametrize(
    ("places", "phrase"),
    [
        (PlacesLibres(0, 0), "Aucune place libre"),
        (PlacesLibres(2, 2), "2 places libres, pour un enfant de tout âge"),
        (PlacesLibres(0, 1), "1 place libre pour un enfant de 3 ans ou plus"),
        (
            PlacesLibres(1, 2),
            "2 places libres : 1 pour un enfant de tout âge, 1 pour un enfant de 3 ans ou plus seulement",
        ),
        (PlacesLibres(2, 0), "2 places libres pour un enfant de moins de 3 ans"),
    ],
)
def test_les_places_se_disent_sans_jamais_additionner_les_tranches_d_age(places, phrase):
    assert places.phrase == phrase
