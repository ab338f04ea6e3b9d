"""An animatrice gives a family in job search an AVIP place of a crèche: 3 months, renewed once, ended early
with a reason; the team and the family are reminded once before each period ends."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from courriels.services import envoyer_en_attente
from demandes.models import Situation
from insertion import services, tasks
from insertion.models import AttributionAvip, HistoriqueAvip
from tests.factories import MembreRelaisFactory
from tests.insertion.factories import creche_avip, demande_en_insertion

pytestmark = pytest.mark.django_db


def _attribuer(demande, structure, debut):
    return services.attribuer_place_avip(
        demande_id=demande.pk, structure_id=structure.pk, debut=debut, par=demande.prise_par
    )


@time_machine.travel(date(2026, 1, 10))
def test_une_place_avip_dure_trois_mois_a_partir_de_son_debut():
    demande = demande_en_insertion()
    creche = creche_avip(demande.relais)

    place = _attribuer(demande, creche, date(2026, 1, 12))

    assert (place.debut, place.fin, place.renouvellements) == (date(2026, 1, 12), date(2026, 4, 12), 0)
    historique = HistoriqueAvip.objects.get(attribution=place)
    assert (historique.evenement, historique.auteur) == (HistoriqueAvip.Evenement.ATTRIBUEE, demande.prise_par)


@time_machine.travel(date(2025, 11, 20))
def test_trois_mois_apres_le_30_novembre_est_le_dernier_jour_de_fevrier_pour_la_base_aussi():
    demande = demande_en_insertion()

    place = _attribuer(demande, creche_avip(demande.relais), date(2025, 11, 30))

    assert place.fin == date(2026, 2, 28)
    place.refresh_from_db()  # the database's check accepted the date Python computed


@time_machine.travel(date(2026, 3, 1))
def test_le_renouvellement_prolonge_de_trois_mois_une_seule_fois():
    demande = demande_en_insertion()
    _attribuer(demande, creche_avip(demande.relais), date(2026, 1, 12))

    place = services.renouveler_place_avip(demande_id=demande.pk, par=demande.prise_par)

    assert (place.fin, place.renouvellements) == (date(2026, 7, 12), 1)
    with pytest.raises(services.ActionRefusee, match="ne se renouvelle qu'une fois"):
        services.renouveler_place_avip(demande_id=demande.pk, par=demande.prise_par)
    place.refresh_from_db()
    assert (place.fin, place.renouvellements) == (date(2026, 7, 12), 1)


def test_la_base_refuse_un_second_renouvellement_et_une_fin_incoherente():
    demande = demande_en_insertion()
    place = _attribuer(demande, creche_avip(demande.relais), timezone.localdate())

    with pytest.raises(IntegrityError):
        AttributionAvip.objects.filter(pk=place.pk).update(renouvellements=2, fin=place.debut + timedelta(days=270))


def test_la_base_refuse_une_fin_qui_n_est_pas_trois_mois_apres_le_debut():
    demande = demande_en_insertion()
    place = _attribuer(demande, creche_avip(demande.relais), timezone.localdate())

    with pytest.raises(IntegrityError):
        AttributionAvip.objects.filter(pk=place.pk).update(fin=place.fin + timedelta(days=1))


def test_une_place_avip_est_refusee_a_un_parent_en_emploi():
    demande = demande_en_insertion(situation_parent1=Situation.EMPLOI)

    with pytest.raises(services.ActionRefusee, match="recherche d'emploi, en formation"):
        _attribuer(demande, creche_avip(demande.relais), timezone.localdate())
    assert not AttributionAvip.objects.exists()


def test_le_second_parent_en_formation_ouvre_droit_a_une_place_avip():
    demande = demande_en_insertion(situation_parent1=Situation.EMPLOI, situation_parent2=Situation.FORMATION)

    assert _attribuer(demande, creche_avip(demande.relais), timezone.localdate()).statut == "en_cours"


def test_une_creche_hors_du_territoire_du_relais_est_refusee():
    demande = demande_en_insertion()
    ailleurs = creche_avip(MembreRelaisFactory().relais)

    with pytest.raises(services.ActionRefusee, match="crèche de votre territoire"):
        _attribuer(demande, ailleurs, timezone.localdate())


def test_une_creche_dont_les_places_avip_sont_prises_refuse_la_suivante():
    premiere = demande_en_insertion()
    creche = creche_avip(premiere.relais, places_avip=1)
    _attribuer(premiere, creche, timezone.localdate())
    seconde = demande_en_insertion(relais=premiere.relais)

    with pytest.raises(services.ActionRefusee, match="places AVIP de .* sont toutes attribuées"):
        _attribuer(seconde, creche, timezone.localdate())


def test_une_seule_place_en_cours_par_demande():
    demande = demande_en_insertion()
    creche = creche_avip(demande.relais)
    _attribuer(demande, creche, timezone.localdate())

    with pytest.raises(services.ActionRefusee, match="déjà en cours"):
        _attribuer(demande, creche, timezone.localdate())


def test_une_demande_nouvelle_doit_d_abord_etre_prise_en_charge():
    demande = demande_en_insertion()
    demande.statut, demande.prise_par = "nouvelle", None
    demande.save()
    animatrice = MembreRelaisFactory(relais=demande.relais).user

    creche = creche_avip(demande.relais)

    with pytest.raises(services.ActionRefusee, match="Prenez d'abord la demande en charge"):
        services.attribuer_place_avip(
            demande_id=demande.pk, structure_id=creche.pk, debut=timezone.localdate(), par=animatrice
        )


def test_mettre_fin_a_la_place_avant_son_terme_demande_un_motif_et_le_garde():
    demande = demande_en_insertion()
    place = _attribuer(demande, creche_avip(demande.relais), timezone.localdate() - timedelta(days=20))

    with pytest.raises(services.ActionRefusee, match="Indiquez pourquoi"):
        services.terminer_place_avip(demande_id=demande.pk, par=demande.prise_par, le=timezone.localdate(), motif=" ")
    services.terminer_place_avip(
        demande_id=demande.pk, par=demande.prise_par, le=timezone.localdate(), motif="Emploi trouvé en CDI."
    )

    place.refresh_from_db()
    assert (place.statut, place.terminaison, place.terminee_le) == ("terminee", "anticipee", timezone.localdate())
    assert place.motif_fin == "Emploi trouvé en CDI."
    assert list(place.historique.values_list("evenement", "auteur")) == [
        ("attribuee", demande.prise_par.pk),
        ("terminee", demande.prise_par.pk),
    ]


def test_une_place_terminee_ne_se_renouvelle_plus():
    demande = demande_en_insertion()
    _attribuer(demande, creche_avip(demande.relais), timezone.localdate())
    services.terminer_place_avip(
        demande_id=demande.pk, par=demande.prise_par, le=timezone.localdate(), motif="Déménagement"
    )

    with pytest.raises(services.ActionRefusee, match="Aucune place AVIP n'est en cours"):
        services.renouveler_place_avip(demande_id=demande.pk, par=demande.prise_par)


def test_apres_une_place_renouvelee_la_famille_n_en_a_pas_une_nouvelle():
    demande = demande_en_insertion()
    creche = creche_avip(demande.relais)
    _attribuer(demande, creche, timezone.localdate())
    services.renouveler_place_avip(demande_id=demande.pk, par=demande.prise_par)
    services.terminer_place_avip(demande_id=demande.pk, par=demande.prise_par, le=timezone.localdate(), motif="Emploi")

    with pytest.raises(services.ActionRefusee, match="déjà eu une place AVIP renouvelée"):
        _attribuer(demande, creche, timezone.localdate())


def test_l_animatrice_d_un_autre_relais_ne_touche_pas_a_la_place():
    demande = demande_en_insertion()
    _attribuer(demande, creche_avip(demande.relais), timezone.localdate())
    intruse = MembreRelaisFactory().user

    from django.http import Http404

    with pytest.raises(Http404):
        services.renouveler_place_avip(demande_id=demande.pk, par=intruse)
    assert AttributionAvip.objects.get().renouvellements == 0


# --- Reminders ----------------------------------------------------------------------------------------------------


def test_le_rappel_de_fin_de_periode_part_une_seule_fois_a_l_equipe_et_a_la_famille():
    demande = demande_en_insertion()
    with time_machine.travel(date(2026, 1, 12)):
        _attribuer(demande, creche_avip(demande.relais, nom="Crèche des Capucins"), date(2026, 1, 12))

    with time_machine.travel(date(2026, 3, 27)):  # 16 days before 12 April: not yet
        assert tasks.suivre_places_avip() == {"terminees": 0, "rappels": 0}
    with time_machine.travel(date(2026, 3, 28)):
        assert tasks.suivre_places_avip() == {"terminees": 0, "rappels": 1}
        assert tasks.suivre_places_avip() == {"terminees": 0, "rappels": 0}
    with time_machine.travel(date(2026, 3, 29)):
        assert tasks.suivre_places_avip()["rappels"] == 0

    envoyer_en_attente()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([demande.prise_par.email, demande.parent.email])
    famille = next(m for m in mail.outbox if m.to == [demande.parent.email])
    assert "12/04/2026" in famille.subject
    assert "Crèche des Capucins" in famille.body
    assert "renouvelée une fois" in famille.body


def test_apres_le_renouvellement_la_seconde_periode_a_son_propre_rappel():
    demande = demande_en_insertion()
    with time_machine.travel(date(2026, 3, 28)):
        _attribuer(demande, creche_avip(demande.relais), date(2026, 1, 12))
        assert tasks.suivre_places_avip()["rappels"] == 1
        services.renouveler_place_avip(demande_id=demande.pk, par=demande.prise_par)
        assert tasks.suivre_places_avip()["rappels"] == 0

    with time_machine.travel(date(2026, 6, 28)):
        assert tasks.suivre_places_avip()["rappels"] == 1
        assert tasks.suivre_places_avip()["rappels"] == 0
    envoyer_en_attente()
    assert "ne peut plus l'être" in mail.outbox[-1].body


def test_une_place_arrivee_a_son_terme_se_termine_d_elle_meme():
    demande = demande_en_insertion()
    with time_machine.travel(date(2026, 1, 12)):
        place = _attribuer(demande, creche_avip(demande.relais), date(2026, 1, 12))

    with time_machine.travel(date(2026, 4, 13)):
        assert tasks.suivre_places_avip()["terminees"] == 1
        assert tasks.suivre_places_avip()["terminees"] == 0

    place.refresh_from_db()
    assert (place.statut, place.terminaison, place.terminee_le) == ("terminee", "terme", date(2026, 4, 12))
