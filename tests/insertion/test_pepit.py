"""A PEPIT « parcours attentionné »: 6 months of follow-up for families P1 or P2, with contacts and an outcome."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from demandes.models import ParametresClassement, TrancheQf
from insertion import selectors, services
from insertion.models import ParcoursAttentionne
from insertion.permissions import parcours_de_la_demande_vue
from tests.factories import MembreRelaisFactory
from tests.insertion.factories import demande_p1, demande_p2

pytestmark = pytest.mark.django_db


def _ouvrir(demande, debut=None):
    return services.ouvrir_parcours(demande_id=demande.pk, debut=debut or timezone.localdate(), par=demande.prise_par)


def test_un_premier_enfant_attendu_au_rsa_est_du_public_p1():
    assert selectors.publics_pepit(demande_p1(), le=timezone.localdate()) == ["p1"]


def test_un_qf_sous_le_seuil_du_relais_compte_comme_revenus_modestes():
    demande = demande_p1(rsa=False, quotient_familial=780)
    ParametresClassement.objects.update_or_create(relais=demande.relais, defaults={"seuil_qf": 800})

    assert selectors.publics_pepit(demande, le=timezone.localdate()) == ["p1"]


def test_un_premier_enfant_attendu_sans_revenus_modestes_n_est_pas_p1():
    demande = demande_p1(rsa=False, tranche_qf=TrancheQf.PLUS_1200)

    assert selectors.publics_pepit(demande, le=timezone.localdate()) == []


def test_un_parent_isole_avec_un_bebe_est_du_public_p2():
    assert selectors.publics_pepit(demande_p2(), le=timezone.localdate()) == ["p2"]


def test_un_parent_isole_dont_l_enfant_a_3_ans_n_est_plus_p2():
    demande = demande_p2(enfant_date=timezone.localdate() - timedelta(days=3 * 366))

    assert selectors.publics_pepit(demande, le=timezone.localdate()) == []


@time_machine.travel(date(2026, 2, 2))
def test_le_parcours_dure_six_mois_et_garde_son_public():
    demande = demande_p2()

    parcours = _ouvrir(demande, date(2026, 2, 2))

    assert (parcours.public, parcours.debut, parcours.fin_prevue) == ("p2", date(2026, 2, 2), date(2026, 8, 2))
    assert (parcours.statut, parcours.ouvert_par) == ("ouvert", demande.prise_par)


def test_une_famille_ni_p1_ni_p2_est_refusee_en_francais():
    demande = demande_p2(parent_isole=False)

    with pytest.raises(services.ActionRefusee, match="P1 .*ou P2 .*aucun des deux"):
        _ouvrir(demande)
    assert not ParcoursAttentionne.objects.exists()


def test_un_seul_parcours_ouvert_par_demande():
    demande = demande_p1()
    _ouvrir(demande)

    with pytest.raises(services.ActionRefusee, match="déjà ouvert"):
        _ouvrir(demande)


def test_la_base_refuse_un_parcours_qui_ne_dure_pas_six_mois():
    parcours = _ouvrir(demande_p1())

    with pytest.raises(IntegrityError):
        ParcoursAttentionne.objects.filter(pk=parcours.pk).update(fin_prevue=parcours.debut + timedelta(days=90))


def test_les_contacts_se_notent_pendant_le_parcours_et_le_prochain_est_le_plus_proche_a_venir():
    demande = demande_p2()
    parcours = _ouvrir(demande, timezone.localdate() - timedelta(days=30))
    aujourd_hui = timezone.localdate()
    for jours, type_ in [(-20, "entretien"), (21, "atelier"), (7, "appel")]:
        services.noter_contact(
            demande_id=demande.pk, par=demande.prise_par, le=aujourd_hui + timedelta(days=jours), type=type_, note="…"
        )

    parcours = selectors.list_parcours_de_la_demande(parcours_de_la_demande_vue(demande)).get()
    prochain = selectors.prochain_contact(parcours, aujourd_hui=aujourd_hui)
    assert (prochain.type, prochain.date) == ("appel", aujourd_hui + timedelta(days=7))


def test_un_contact_hors_des_dates_du_parcours_est_refuse():
    demande = demande_p2()
    parcours = _ouvrir(demande)

    with pytest.raises(services.ActionRefusee, match="ne peut pas dépasser"):
        services.noter_contact(
            demande_id=demande.pk, par=demande.prise_par, le=parcours.fin_prevue + timedelta(days=1), type="appel"
        )
    assert not parcours.contacts.exists()


def test_clore_le_parcours_avec_son_issue():
    demande = demande_p1()
    _ouvrir(demande, timezone.localdate() - timedelta(days=60))

    parcours = services.cloturer_parcours(
        demande_id=demande.pk, par=demande.prise_par, le=timezone.localdate(), issue="mode_accueil", note="Crèche"
    )

    parcours.refresh_from_db()
    assert (parcours.statut, parcours.issue, parcours.cloture_par) == ("clos", "mode_accueil", demande.prise_par)
    with pytest.raises(services.ActionRefusee, match="Aucun parcours attentionné n'est ouvert"):
        services.noter_contact(demande_id=demande.pk, par=demande.prise_par, le=timezone.localdate(), type="appel")


def test_une_issue_inconnue_est_refusee():
    demande = demande_p1()
    _ouvrir(demande)

    with pytest.raises(services.ActionRefusee, match="Choisissez l'issue"):
        services.cloturer_parcours(demande_id=demande.pk, par=demande.prise_par, le=timezone.localdate(), issue="x")
    assert ParcoursAttentionne.objects.get().statut == "ouvert"


def test_l_animatrice_d_un_autre_relais_n_ouvre_pas_de_parcours():
    from django.http import Http404

    demande = demande_p1()

    with pytest.raises(Http404):
        services.ouvrir_parcours(demande_id=demande.pk, debut=timezone.localdate(), par=MembreRelaisFactory().user)
