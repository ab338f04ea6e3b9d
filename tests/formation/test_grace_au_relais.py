"""The flag "departed thanks to the relais": set at departure, with the reasons, from the relais' actions before it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from formation import selectors, services
from tests.factories import MembreRelaisFactory
from tests.formation.factories import (
    SIRETS,
    DemandeAlternativeFactory,
    EnfantConcerneFactory,
    InscriptionFactory,
    MiseEnRelationFactory,
    PropositionFactory,
    SouhaitFactory,
    ThemeFactory,
    au_debut_de,
)

pytestmark = pytest.mark.django_db


def _partir(inscription):
    animatrice = MembreRelaisFactory(relais=inscription.session.relais).user
    with au_debut_de(inscription.session):
        return services.marquer_partie(inscription_id=inscription.pk, par=animatrice)


def test_un_souhait_recueilli_sur_le_theme_avant_la_session_rend_le_depart_grace_au_relais():
    inscription = InscriptionFactory()
    SouhaitFactory(assistant_maternel=inscription.assistant_maternel, theme=inscription.session.theme)

    partie = _partir(inscription)

    assert (partie.grace_au_relais, partie.motifs_grace) == (True, ["recueil_besoins"])


def test_un_souhait_retire_depuis_compte_encore_le_recueil_a_eu_lieu():
    inscription = InscriptionFactory()
    SouhaitFactory(assistant_maternel=inscription.assistant_maternel, theme=inscription.session.theme, retire=True)

    assert _partir(inscription).motifs_grace == ["recueil_besoins"]


def test_un_souhait_d_un_autre_theme_rattache_a_la_session_compte_aussi():
    inscription = InscriptionFactory()
    souhait = SouhaitFactory(assistant_maternel=inscription.assistant_maternel, theme=ThemeFactory(langage=True))
    inscription.session.souhaits.add(souhait)

    assert _partir(inscription).motifs_grace == ["recueil_besoins"]


def test_un_souhait_exprime_apres_le_debut_de_la_session_ne_compte_pas():
    inscription = InscriptionFactory(session__date_debut=timezone.localdate() + timedelta(days=3))
    debut = inscription.session.date_debut
    with time_machine.travel(
        timezone.make_aware(timezone.datetime(debut.year, debut.month, debut.day, 12)), tick=False
    ):
        SouhaitFactory(assistant_maternel=inscription.assistant_maternel, theme=inscription.session.theme)

        partie = _partir(inscription)

    assert (partie.grace_au_relais, partie.motifs_grace) == (False, [])


def test_la_mise_en_relation_avec_l_organisme_de_la_session_compte():
    inscription = InscriptionFactory()
    souhait = SouhaitFactory(assistant_maternel=inscription.assistant_maternel, theme=inscription.session.theme)
    MiseEnRelationFactory(
        relais=inscription.session.relais, organisme=inscription.session.organisme, souhaits=[souhait]
    )

    assert _partir(inscription).motifs_grace == ["recueil_besoins", "mise_en_relation"]


def test_une_mise_en_relation_avec_un_autre_organisme_ne_compte_pas():
    inscription = InscriptionFactory()
    souhait = SouhaitFactory(assistant_maternel=inscription.assistant_maternel, theme=ThemeFactory(handicap=True))
    # The factories cycle over a few SIRETs: pick one that is not the session's body.
    autre_siret = next(siret for siret in SIRETS if siret != inscription.session.organisme.siret)
    MiseEnRelationFactory(relais=inscription.session.relais, souhaits=[souhait], organisme__siret=autre_siret)

    assert _partir(inscription).motifs_grace == []


def test_une_solution_d_accueil_alternative_proposee_aux_parents_compte():
    inscription = InscriptionFactory()
    demande = DemandeAlternativeFactory(enfant_concerne=EnfantConcerneFactory(inscription=inscription))
    PropositionFactory(demande=demande, acceptee=True)

    partie = _partir(inscription)

    assert (partie.grace_au_relais, partie.motifs_grace) == (True, ["accueil_alternatif"])


def test_une_proposition_refusee_par_les_parents_ne_compte_pas():
    inscription = InscriptionFactory()
    demande = DemandeAlternativeFactory(enfant_concerne=EnfantConcerneFactory(inscription=inscription))
    PropositionFactory(demande=demande, refusee=True)

    assert _partir(inscription).grace_au_relais is False


def test_un_depart_sans_aucune_action_du_relais_n_est_pas_grace_au_relais():
    inscription = InscriptionFactory()
    # A wish on another theme, not linked to the session, is not the relais' action for this departure.
    SouhaitFactory(assistant_maternel=inscription.assistant_maternel, theme=ThemeFactory(handicap=True))

    partie = _partir(inscription)

    assert (partie.grace_au_relais, partie.motifs_grace, partie.statut) == (False, [], "partie")


def test_la_base_refuse_un_drapeau_sans_motif():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        InscriptionFactory(partie=True, grace_au_relais=True)


def test_mission_3_compte_les_assmats_distinctes_parties_grace_au_relais_et_les_propositions():
    inscription = InscriptionFactory()
    relais = inscription.session.relais
    commune = inscription.assistant_maternel.commune
    annee = timezone.localdate().year
    maintenant = timezone.now()
    # This year: two distinct childminders thanks to the relais (one of them twice), one without.
    InscriptionFactory(
        assistant_maternel=inscription.assistant_maternel, partie=True, grace=True, session__relais=relais
    )
    InscriptionFactory(
        assistant_maternel=inscription.assistant_maternel, suivie=True, grace=True, session__relais=relais
    )
    InscriptionFactory(assistant_maternel__commune=commune, partie=True, grace=True, session__relais=relais)
    InscriptionFactory(assistant_maternel__commune=commune, partie=True, session__relais=relais)
    # Last year: one.
    InscriptionFactory(
        assistant_maternel__commune=commune,
        suivie=True,
        grace=True,
        partie_le=maintenant.replace(year=annee - 1),
        session__relais=relais,
    )
    # Requests of the year: two with a proposal (one refused still counts), one without.
    avec = PropositionFactory(demande__relais=relais, refusee=True).demande
    avec_2 = PropositionFactory(demande__relais=relais).demande
    sans = DemandeAlternativeFactory(relais=relais)

    mission = selectors.mission_3(relais, annee)

    assert (len(mission.departs), len(mission.departs_annee_precedente)) == (2, 1)
    assert mission.progression_atteinte is True
    assert mission.demandes == sorted([avec.pk, avec_2.pk, sans.pk])
    assert mission.demandes_avec_proposition == sorted([avec.pk, avec_2.pk])
    assert mission.proposition_atteinte is False
