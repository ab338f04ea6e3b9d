"""Anonymisation keeps what the indicators count: recomputed snapshots give the same figures.

The fingerprint hashes each indicator's inputs (ids, dates, statuses, and for « bas revenus crèche » the
RSA flag, the quotient familial and its bracket). Anonymisation replaces an exact quotient by its
bracket, so that fingerprint changes while its figures do not; every other fingerprint is unchanged.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from assmats.models import Entretien, SignalementSousActivite
from demandes.models import Mode, Proposition, RendezVous, Statut
from indicateurs import services as indicateurs
from indicateurs.models import Snapshot
from rgpd import services
from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory, DisponibiliteFactory
from tests.demandes.factories import DemandeFactory
from tests.factories import RelaisFactory, UserFactory
from tests.formation.factories import (
    DemandeAlternativeFactory,
    EnfantConcerneFactory,
    InscriptionFactory,
    PropositionFactory,
    SessionFactory,
)
from tests.indicateurs.scenario import OUVERT_AVANT, N, action, dt, rendez_vous

pytestmark = pytest.mark.django_db

# Far enough for every record of the scenario to be past its retention period.
DANS_SIX_ANS = datetime(2032, 1, 1, 4, tzinfo=ZoneInfo("Europe/Paris"))
CHIFFRES = ("numerateur", "denominateur", "valeur", "cible", "atteint", "ids_numerateur", "ids_denominateur")


def _demande(relais, parent, depot: datetime, statut: str, cloture: datetime, **kwargs):
    demande = DemandeFactory(
        relais=relais,
        parent=parent,
        date_depot=depot,
        statut_modifie_at=cloture,
        enfant_date=date(2024, 5, 17),
        date_debut_souhaitee=date(2025, 9, 1),
        commentaire="Texte libre de la famille",
        telephone="0611223344",
        **{statut: True},
        **kwargs,
    )
    action(demande, statut, cloture)
    return demande


def _assmat(relais, *, affichee: bool):
    assmat = AssistantMaternelFactory(commune=relais.commune_siege, afficher_disponibilites=affichee)
    AgrementFactory(assistant_maternel=assmat, date_delivrance=date(2021, 7, 1), date_fin_validite=date(2026, 6, 30))
    if affichee:
        DisponibiliteFactory(assistant_maternel=assmat, confirmee_le=dt(2025, 12, 1), commentaire="Le mercredi")
    return assmat


def _scenario():
    """Every indicator of 2025 has something to count, and every record is closed (or ended)."""
    relais = RelaisFactory(date_ouverture_guichet=OUVERT_AVANT)
    famille, autre_famille = UserFactory(), UserFactory()

    # Mission 1 (N-1 and N), besoins non satisfaits, bas revenus en crèche, délai, urgences.
    ancienne = _demande(relais, autre_famille, dt(2024, 3, 1), Statut.SANS_SOLUTION, dt(2024, 6, 1))
    action(ancienne, Statut.RDV_PROPOSE, dt(2024, 3, 3))
    urgente = _demande(
        relais, famille, dt(2025, 1, 10), Statut.SOLUTION_TROUVEE, dt(2025, 2, 1),
        urgente=True, solution_mode=Mode.CRECHE, quotient_familial=650, solution_description="Crèche Les Lilas",
    )  # fmt: skip
    rendez_vous(urgente, dt(2025, 1, 10, 12), dt(2025, 1, 15))
    RendezVous.objects.create(
        demande=urgente, debut=dt(2025, 1, 20), modalite="sur_place", lieu="4 rue des Lilas",
        auteur=urgente.prise_par, created_at=dt(2025, 1, 12),
    )  # fmt: skip
    creche = _demande(
        relais, autre_famille, dt(2025, 2, 1), Statut.SOLUTION_TROUVEE, dt(2025, 3, 1),
        solution_mode=Mode.CRECHE, quotient_familial=900,
    )  # fmt: skip
    Proposition.objects.create(
        demande=creche, mode=Mode.CRECHE, description="Crèche", auteur=creche.prise_par, created_at=dt(2025, 2, 5)
    )
    _demande(
        relais, famille, dt(2025, 2, 15), Statut.SOLUTION_TROUVEE, dt(2025, 3, 10),
        solution_mode=Mode.CRECHE, tranche_qf="moins_700",
    )  # fmt: skip
    sans_solution = _demande(relais, famille, dt(2025, 3, 1), Statut.SANS_SOLUTION, dt(2025, 4, 1))
    action(sans_solution, Statut.RDV_PROPOSE, dt(2025, 3, 2))
    retiree = DemandeFactory(
        relais=relais, parent=famille, urgente=True, retiree=True,
        date_depot=dt(2025, 4, 1), statut_modifie_at=dt(2025, 4, 1, 12),
    )  # fmt: skip
    action(retiree, Statut.RETIREE, dt(2025, 4, 1, 12), de=Statut.NOUVELLE)

    # Mission 2: under-activity with an interview, display of availability.
    affichee, discrete = _assmat(relais, affichee=True), _assmat(relais, affichee=False)
    signalement = SignalementSousActivite.objects.create(
        assistant_maternel=discrete, depuis=date(2025, 4, 1), places_inoccupees=2, commentaire="Deux départs"
    )
    SignalementSousActivite.objects.filter(pk=signalement.pk).update(signale_le=dt(2025, 5, 1))
    entretien = Entretien.objects.create(
        signalement=signalement, type="individuel", date_entretien=dt(2025, 5, 20), propose_par=urgente.prise_par
    )
    Entretien.objects.filter(pk=entretien.pk).update(propose_le=dt(2025, 5, 10))

    # Mission 3: departures thanks to the relais (N and N-1), an alternative childcare request answered.
    session = SessionFactory(relais=relais, date_debut=date(2025, 9, 2), date_fin=date(2025, 9, 2))
    inscription = InscriptionFactory(
        session=session, assistant_maternel=affichee, partie=True, grace=True, partie_le=dt(2025, 9, 2)
    )
    InscriptionFactory(
        session=SessionFactory(relais=relais, date_debut=date(2024, 9, 3), date_fin=date(2024, 9, 3)),
        assistant_maternel=discrete, partie=True, grace=True, partie_le=dt(2024, 9, 3),
    )  # fmt: skip
    alternative = DemandeAlternativeFactory(
        enfant_concerne=EnfantConcerneFactory(inscription=inscription), parent=famille, created_at=dt(2025, 8, 20)
    )
    PropositionFactory(demande=alternative, propose_le=dt(2025, 8, 22))
    return relais, famille, affichee


def _snapshots(relais) -> dict[str, dict]:
    indicateurs.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    return {
        ligne["code"]: ligne
        for ligne in Snapshot.objects.filter(relais=relais, annee=N)
        .order_by("code")
        .values("code", "empreinte", *CHIFFRES)
    }


def _chiffres(snapshots: dict[str, dict]) -> dict[str, tuple]:
    return {code: tuple(ligne[champ] for champ in CHIFFRES) for code, ligne in snapshots.items()}


def _empreintes(snapshots: dict[str, dict]) -> dict[str, str]:
    return {code: ligne["empreinte"] for code, ligne in snapshots.items()}


def test_le_scenario_compte_quelque_chose_pour_chaque_indicateur():
    relais, _famille, _affichee = _scenario()

    chiffres = _chiffres(_snapshots(relais))

    assert len(chiffres) == 9
    assert all(numerateur > 0 for numerateur, *_reste in chiffres.values()), chiffres


def test_la_retention_garde_les_chiffres_des_indicateurs():
    relais, _famille, _affichee = _scenario()
    avant = _snapshots(relais)

    rapport = services.appliquer_retention(maintenant=DANS_SIX_ANS, dry_run=False)
    apres = _snapshots(relais)

    assert len(rapport.demandes) == 6
    assert len(rapport.assistants_maternels) == 2
    assert _chiffres(apres) == _chiffres(avant)
    # Only the fingerprint that hashes the exact quotient familial changes (it became a bracket).
    changees = {code for code, empreinte in _empreintes(avant).items() if _empreintes(apres)[code] != empreinte}
    assert changees == {"bas_revenus_creche"}


def test_la_suppression_du_compte_d_un_parent_garde_les_chiffres_des_indicateurs():
    relais, famille, _affichee = _scenario()
    avant = _snapshots(relais)

    bilan = services.supprimer_compte(user=famille)
    apres = _snapshots(relais)

    assert bilan.demandes_anonymisees == 4
    assert bilan.demandes_accueil_alternatif == 1
    assert _chiffres(apres) == _chiffres(avant)
    changees = {code for code, empreinte in _empreintes(avant).items() if _empreintes(apres)[code] != empreinte}
    assert changees == {"bas_revenus_creche"}


def test_une_assistante_maternelle_qui_supprime_son_compte_garde_les_chiffres_de_l_annee_passee():
    """Her consent to display ends with her account, today: on 31 December of N she was shown, and the display
    history says so. Every figure of N is unchanged, the display indicator's fingerprint too."""
    relais, _famille, affichee = _scenario()
    avant = _snapshots(relais)

    services.supprimer_compte(user=affichee.user)
    apres = _snapshots(relais)

    assert _chiffres(apres) == _chiffres(avant)
    assert apres["m2b_disponibilites"]["numerateur"] == 1
    assert apres["m2b_disponibilites"]["empreinte"] == avant["m2b_disponibilites"]["empreinte"]
