"""Monthly statements: the childminder declares, a parent confirms, the month's CMG comes from the engine."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from courriels.services import envoyer_en_attente
from tests.tiers_payant.conftest import envoyer, signer_tous
from tests.tiers_payant.factories import premier_du_mois
from tiers_payant import emails, services
from tiers_payant.anonymisation import anonymiser_convention
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
def test_un_mois_pas_encore_termine_est_refuse_en_nommant_les_mois_permis(acteurs, active):
    for mois in (date(2026, 3, 1), date(2026, 4, 1)):
        with pytest.raises(services.SaisieRefusee, match="entre janvier 2026 et février 2026") as refus:
            _declarer(acteurs, active, mois)
        assert refus.value.champ == "mois"
    assert not ReleveMensuel.objects.exists()


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_un_mois_avant_le_debut_de_la_convention_est_refuse(acteurs, active):
    with pytest.raises(services.SaisieRefusee, match="entre janvier 2026 et février 2026"):
        _declarer(acteurs, active, date(2025, 12, 1))


@time_machine.travel("2026-01-20 09:00 +01:00")
def test_pendant_le_premier_mois_rien_n_est_encore_declarable(acteurs, active):
    with pytest.raises(services.SaisieRefusee, match="se déclare à partir du 1er février 2026"):
        _declarer(acteurs, active, date(2026, 1, 1))


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_un_salaire_sous_le_minimum_legal_est_refuse_avec_le_minimum(acteurs, active):
    with pytest.raises(services.SaisieRefusee, match="2,64 € net par heure") as refus:
        _declarer(acteurs, active, date(2026, 2, 1), salaire="2.50")

    assert refus.value.champ == "salaire_horaire"
    assert not ReleveMensuel.objects.exists()
    assert _declarer(acteurs, active, date(2026, 2, 1), salaire="2.64").salaire_horaire == Decimal("2.64")


def test_pas_de_releve_avant_l_activation(acteurs):
    convention = envoyer(acteurs, date_debut=premier_du_mois())

    with pytest.raises(services.TransitionInterdite, match="active"):
        _declarer(acteurs, convention, premier_du_mois())


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_le_parent_conteste_un_releve_et_le_relais_le_lit(acteurs, active, django_capture_on_commit_callbacks):
    acteurs.relais.email = "rpe@garrigues.fr"
    acteurs.relais.save()
    releve = _declarer(acteurs, active, date(2026, 2, 1))

    with django_capture_on_commit_callbacks() as taches:
        conteste = services.contester_releve(releve_id=releve.pk, par=acteurs.parent, motif=" 110 h et non 125 ")
    assert len(taches) == 1
    emails.notifier_contestation(releve_id=releve.pk)

    assert (conteste.conteste_par, conteste.motif_contestation) == (acteurs.parent, "110 h et non 125")
    assert active.historique.last().note == "Relevé de 02/2026 contesté : 110 h et non 125"
    envoyer_en_attente()
    (email,) = mail.outbox
    assert email.to == ["rpe@garrigues.fr"]
    assert "110 h et non 125" in email.body
    assert "RPE des Garrigues" in email.from_email
    with pytest.raises(services.TransitionInterdite, match="contesté"):
        services.confirmer_releve(releve_id=releve.pk, par=acteurs.parent)


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_contester_demande_un_motif(acteurs, active):
    releve = _declarer(acteurs, active, date(2026, 2, 1))

    with pytest.raises(services.SaisieRefusee, match="Indiquez ce qui est inexact"):
        services.contester_releve(releve_id=releve.pk, par=acteurs.parent, motif="  ")
    releve.refresh_from_db()
    assert not releve.conteste


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_l_assmat_corrige_un_releve_conteste_puis_le_parent_le_confirme(acteurs, active):
    releve = _declarer(acteurs, active, date(2026, 2, 1))
    services.contester_releve(releve_id=releve.pk, par=acteurs.parent, motif="110 h et non 125")

    corrige = _declarer(acteurs, active, date(2026, 2, 1), heures="110")

    assert not corrige.conteste
    assert corrige.motif_contestation == ""
    assert active.historique.last().note == "Relevé de 02/2026 corrigé après contestation."
    assert services.confirmer_releve(releve_id=releve.pk, par=acteurs.parent).heures == Decimal(110)


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_un_releve_confirme_ne_se_conteste_plus_et_seul_un_parent_conteste(acteurs, active):
    releve = _declarer(acteurs, active, date(2026, 2, 1))
    with pytest.raises(PermissionDenied):
        services.contester_releve(releve_id=releve.pk, par=acteurs.assmat.user, motif="Erreur")
    services.confirmer_releve(releve_id=releve.pk, par=acteurs.parent)

    with pytest.raises(services.TransitionInterdite, match="déjà confirmé"):
        services.contester_releve(releve_id=releve.pk, par=acteurs.parent, motif="Erreur")


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_la_base_refuse_une_contestation_sans_motif_ou_d_un_releve_confirme(acteurs, active):
    releve = _declarer(acteurs, active, date(2026, 2, 1))
    maintenant = releve.saisi_le

    with pytest.raises(IntegrityError), transaction.atomic():
        ReleveMensuel.objects.filter(pk=releve.pk).update(conteste_par=acteurs.parent, conteste_le=maintenant)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleveMensuel.objects.filter(pk=releve.pk).update(
            conteste_par=acteurs.parent,
            conteste_le=maintenant,
            motif_contestation="Erreur",
            confirme_par=acteurs.parent,
            confirme_le=maintenant,
        )


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_l_anonymisation_efface_le_motif_d_une_contestation(acteurs, active):
    releve = _declarer(acteurs, active, date(2026, 2, 1))
    services.contester_releve(releve_id=releve.pk, par=acteurs.parent, motif="Lina était chez sa grand-mère")
    services.resilier_convention(convention_id=active.pk, par=acteurs.animatrice, motif="Déménagement")

    anonymiser_convention(convention_id=active.pk, maintenant=timezone.now())

    releve.refresh_from_db()
    assert "Lina" not in releve.motif_contestation
    assert releve.conteste
