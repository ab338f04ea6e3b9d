"""Monthly statements: the childminder declares, a parent confirms, the month's CMG comes from the engine."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from tests.tiers_payant.conftest import envoyer, signer_tous
from tests.tiers_payant.factories import premier_du_mois
from tiers_payant import services
from tiers_payant.cmg import Famille, Garde, calculer_cmg
from tiers_payant.models import ReleveMensuel

pytestmark = pytest.mark.django_db

DEBUT = date(2026, 1, 1)


@pytest.fixture
def active(acteurs):
    with time_machine.travel("2026-01-05 10:00 +01:00"):
        convention = signer_tous(acteurs, envoyer(acteurs, date_debut=DEBUT))
        services.activer_convention(convention_id=convention.pk, par=acteurs.agent)
    convention.refresh_from_db()
    return convention


def _declarer(acteurs, convention, mois, heures="125", salaire="4.85", indemnites="0"):
    return services.declarer_releve(
        convention_id=convention.pk,
        par=acteurs.assmat.user,
        mois=mois,
        heures=Decimal(heures),
        salaire_horaire=Decimal(salaire),
        indemnites=Decimal(indemnites),
    )


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_le_cmg_du_mois_est_celui_du_moteur_et_le_reste_a_charge_suit(acteurs, active):
    releve = _declarer(acteurs, active, date(2026, 2, 1), heures="140", salaire="4.50", indemnites="45")

    attendu = calculer_cmg(
        famille=Famille(ressources_mensuelles=Decimal(3000), enfants_a_charge=1),
        garde=Garde(
            mois=date(2026, 2, 1),
            naissance=date(2025, 3, 15),
            heures=Decimal(140),
            salaire_horaire=Decimal("4.50"),
            indemnites=Decimal(45),
        ),
    )
    assert releve.cmg == attendu.cmg
    assert releve.cout_mensuel == Decimal("675.00")  # 140 × 4.50 + 45
    assert releve.reste_a_charge == releve.cout_mensuel - releve.cmg
    assert releve.regime == "reforme_2025"
    assert not releve.confirme


@time_machine.travel("2026-02-10 09:00 +01:00")
def test_l_exemple_de_la_caf_donne_374_13_euros_pour_le_mois(acteurs, active):
    releve = _declarer(acteurs, active, date(2026, 1, 1))

    assert releve.cmg == Decimal("374.13")
    assert releve.reste_a_charge == Decimal("232.12")


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_le_parent_confirme_et_le_releve_ne_change_plus(acteurs, active):
    releve = _declarer(acteurs, active, date(2026, 2, 1))

    confirme = services.confirmer_releve(releve_id=releve.pk, par=acteurs.parent)

    assert confirme.confirme_par == acteurs.parent
    assert confirme.confirme_le is not None
    assert confirme.cmg == Decimal("374.13")
    with pytest.raises(services.TransitionInterdite, match="déjà confirmé"):
        _declarer(acteurs, active, date(2026, 2, 1), heures="10")
    with pytest.raises(services.TransitionInterdite, match="déjà confirmé"):
        services.confirmer_releve(releve_id=releve.pk, par=acteurs.parent)


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_avant_confirmation_l_assmat_corrige_son_releve(acteurs, active):
    premier = _declarer(acteurs, active, date(2026, 2, 1), heures="100")
    corrige = _declarer(acteurs, active, date(2026, 2, 1), heures="125")

    assert corrige.pk == premier.pk
    assert ReleveMensuel.objects.filter(convention=active).count() == 1
    assert corrige.cmg == Decimal("374.13")


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_un_releve_par_mois_en_base(acteurs, active):
    releve = _declarer(acteurs, active, date(2026, 2, 1))

    with pytest.raises(IntegrityError):
        ReleveMensuel.objects.create(
            **{f.attname: getattr(releve, f.attname) for f in ReleveMensuel._meta.concrete_fields if f.name != "id"}
        )


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_seule_l_assmat_declare_et_seul_un_parent_confirme(acteurs, active):
    with pytest.raises(PermissionDenied):
        services.declarer_releve(
            convention_id=active.pk,
            par=acteurs.parent,
            mois=date(2026, 2, 1),
            heures=Decimal(1),
            salaire_horaire=Decimal(1),
            indemnites=Decimal(0),
        )
    releve = _declarer(acteurs, active, date(2026, 2, 1))
    for user in (acteurs.assmat.user, acteurs.agent):
        with pytest.raises(PermissionDenied):
            services.confirmer_releve(releve_id=releve.pk, par=user)


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_un_mois_hors_convention_ou_futur_est_refuse(acteurs, active):
    with pytest.raises(services.TransitionInterdite, match="entre 01/2026 et 03/2026"):
        _declarer(acteurs, active, date(2025, 12, 1))
    with pytest.raises(services.TransitionInterdite, match="entre 01/2026 et 03/2026"):
        _declarer(acteurs, active, date(2026, 4, 1))


def test_pas_de_releve_avant_l_activation(acteurs):
    convention = envoyer(acteurs, date_debut=premier_du_mois())

    with pytest.raises(services.TransitionInterdite, match="active"):
        _declarer(acteurs, convention, premier_du_mois())
