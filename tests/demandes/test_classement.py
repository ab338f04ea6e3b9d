"""The queue's order comes from a key PostgreSQL stores on each request (migration 0007); it must be the order of
today's score, which `annoter_score` computes live, urgent needs without an answer first."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from demandes import services
from demandes.models import STATUTS_OUVERTS, Demande, Situation, Statut, TrancheQf
from demandes.selectors import FiltresFile, annoter_score, echeance_urgence, list_file_d_attente
from tests.demandes.conftest import donnees_valides
from tests.demandes.factories import DemandeFactory
from tests.factories import RelaisFactory

pytestmark = pytest.mark.django_db

STATUTS_AU_HASARD = ["", "prise", "rdv_propose", "rdv_realise", "propositions_faites"]


def _il_y_a(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def _ordre_du_score_du_jour(relais) -> list[int]:
    """The order the animatrice expects, from the live score: urgent needs without an answer first, the most overdue
    first; then by score, the oldest first on a tie."""
    demandes = annoter_score(Demande.objects.filter(relais=relais, statut__in=STATUTS_OUVERTS))
    jamais = timezone.now() + timedelta(days=36500)
    return [
        d.pk for d in sorted(demandes, key=lambda d: (echeance_urgence(d) or jamais, -d.score, d.date_depot, d.pk))
    ]


def _ordre_de_la_file(relais) -> list[int]:
    return list(
        list_file_d_attente(Demande.objects.all(), FiltresFile(), seul_relais=relais.pk).values_list("pk", flat=True)
    )


def _demandes_variees(relais, nombre=60, graine=17) -> list[Demande]:
    """Requests meeting every mix of criteria, over a year of submissions, a few urgent ones and children around
    their third birthday."""
    hasard = random.Random(graine)
    aujourd_hui = timezone.localdate()
    demandes = []
    for _ in range(nombre):
        trait = hasard.choice(STATUTS_AU_HASARD)
        a_naitre = hasard.random() < 0.15
        enfant_date = (
            aujourd_hui + timedelta(days=hasard.randint(10, 200))
            if a_naitre
            else aujourd_hui - timedelta(days=hasard.choice([30, 400, 1094, 1095, 1096, 1200]))
        )
        demandes.append(
            DemandeFactory(
                relais=relais,
                **({trait: True} if trait else {}),
                urgente=hasard.random() < 0.15,
                date_depot=_il_y_a(hours=hasard.randint(1, 24 * 365)),
                enfant_a_naitre=a_naitre,
                enfant_date=enfant_date,
                date_debut_souhaitee=max(enfant_date, aujourd_hui) + timedelta(days=60),
                premier_enfant=hasard.random() < 0.3,
                parent_isole=hasard.random() < 0.4,
                handicap=hasard.random() < 0.1,
                rsa=hasard.random() < 0.2,
                quotient_familial=hasard.choice([None, 500, 699, 700, 701, 1200]),
                tranche_qf=hasard.choice(["", TrancheQf.MOINS_700]),
                situation_parent1=hasard.choice(list(Situation.values)),
                situation_parent2=hasard.choice(["", *Situation.values]),
            )
        )
    return demandes


@pytest.fixture
def file_variee(relais):
    DemandeFactory(relais=RelaisFactory(), urgente=True, date_depot=_il_y_a(days=3))  # another relais' queue
    DemandeFactory(relais=relais, retiree=True, urgente=True, date_depot=_il_y_a(days=3))  # closed
    return _demandes_variees(relais)


def test_l_ordre_de_la_file_est_celui_du_score_du_jour(file_variee, relais):
    ordre = _ordre_de_la_file(relais)

    assert len(ordre) == 60
    assert ordre == _ordre_du_score_du_jour(relais)


def test_de_nouveaux_poids_reclassent_les_demandes_ouvertes_dans_la_meme_transaction(file_variee, relais):
    parametres = relais.parametres_classement
    avant = _ordre_de_la_file(relais)
    parametres.poids_urgence, parametres.poids_insertion, parametres.poids_bas_revenus = 3, 40, 1
    parametres.poids_parent_isole, parametres.poids_handicap, parametres.poids_premier_enfant = 0, 60, 25
    parametres.poids_semaine_attente, parametres.seuil_qf = 4, 701
    parametres.save()

    ordre = _ordre_de_la_file(relais)

    assert ordre != avant
    assert ordre == _ordre_du_score_du_jour(relais)


def test_une_urgence_sans_reponse_passe_avant_tout_le_reste_la_plus_en_retard_d_abord(relais):
    parametres = relais.parametres_classement
    parametres.poids_urgence = 0
    parametres.save()
    tres_prioritaire = DemandeFactory(
        relais=relais, rsa=True, parent_isole=True, handicap=True, date_depot=_il_y_a(weeks=80)
    )
    en_retard = DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=50))
    un_peu_en_retard = DemandeFactory(relais=relais, urgente=True, prise=True, date_depot=_il_y_a(hours=30))
    dans_les_temps = DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=2))
    deja_un_rendez_vous = DemandeFactory(relais=relais, urgente=True, rdv_propose=True, date_depot=_il_y_a(hours=60))

    assert _ordre_de_la_file(relais) == [
        en_retard.pk,
        un_peu_en_retard.pk,
        dans_les_temps.pk,
        tres_prioritaire.pk,
        deja_un_rendez_vous.pk,
    ]
    assert _ordre_de_la_file(relais) == _ordre_du_score_du_jour(relais)


def test_chaque_etape_du_traitement_garde_la_cle_a_jour(file_variee, relais, animatrice):
    urgentes = [d for d in file_variee if d.urgence and d.statut == Statut.NOUVELLE]
    assert len(urgentes) >= 2
    premiere, seconde = urgentes[:2]

    services.prendre_en_charge(demande_id=premiere.pk, par=animatrice)
    assert _ordre_de_la_file(relais) == _ordre_du_score_du_jour(relais)
    assert Demande.objects.get(pk=premiere.pk).cle_urgence is not None

    # A phone call the animatrice just had: its outcome can be noted at once.
    services.proposer_rendez_vous(
        demande_id=premiere.pk, par=animatrice, debut=timezone.now() - timedelta(minutes=5), modalite="telephone"
    )
    assert Demande.objects.get(pk=premiere.pk).cle_urgence is None  # answered: ranked by its score only
    assert _ordre_de_la_file(relais) == _ordre_du_score_du_jour(relais)

    services.noter_rendez_vous_realise(demande_id=premiere.pk, par=animatrice)
    assert _ordre_de_la_file(relais) == _ordre_du_score_du_jour(relais)

    proposition = services.enregistrer_proposition(
        demande_id=premiere.pk, par=animatrice, mode="creche", description="Crèche Les Lutins, place en mars."
    )
    assert _ordre_de_la_file(relais) == _ordre_du_score_du_jour(relais)

    services.enregistrer_solution(demande_id=premiere.pk, par=animatrice, proposition_id=proposition.pk)
    assert premiere.pk not in _ordre_de_la_file(relais)
    assert _ordre_de_la_file(relais) == _ordre_du_score_du_jour(relais)

    services.retirer(demande_id=seconde.pk, par=seconde.parent, motif="Une place chez une voisine.")
    assert seconde.pk not in _ordre_de_la_file(relais)
    assert _ordre_de_la_file(relais) == _ordre_du_score_du_jour(relais)


def test_la_famille_qui_modifie_sa_situation_change_de_rang(relais, parent):
    demande = DemandeFactory(relais=relais, parent=parent, date_depot=_il_y_a(weeks=1))
    DemandeFactory(relais=relais, date_depot=_il_y_a(weeks=3))
    assert _ordre_de_la_file(relais)[-1] == demande.pk

    services.modifier(
        demande_id=demande.pk,
        par=parent,
        donnees=donnees_valides(
            relais.commune_siege,
            enfant_prenom=demande.enfant_prenom,
            enfant_date=demande.enfant_date,
            situation_parent1=Situation.FORMATION,
        ),
    )

    assert _ordre_de_la_file(relais)[0] == demande.pk
    assert _ordre_de_la_file(relais) == _ordre_du_score_du_jour(relais)


def test_les_points_de_l_enfant_de_moins_de_3_ans_tombent_a_son_anniversaire(relais):
    """The one criterion that moves with the date alone: the nightly task recomputes the keys it concerns."""
    trois_ans_hier = DemandeFactory(
        relais=relais, parent_isole=True, enfant_date=timezone.localdate().replace(year=timezone.localdate().year - 3)
    )
    plus_ancienne = DemandeFactory(relais=relais, date_depot=_il_y_a(weeks=2))
    # The key as it was computed the day before the birthday (15 points for the isolated parent); the triggers are
    # off for this one write so that the key can be stale, as it is after midnight.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE demandes_demande SET cle_classement = cle_classement + 15 WHERE id = %s", [trois_ans_hier.pk]
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert _ordre_de_la_file(relais) == [trois_ans_hier.pk, plus_ancienne.pk]

    assert services.rafraichir_cles_classement() == 1

    assert _ordre_de_la_file(relais) == [plus_ancienne.pk, trois_ans_hier.pk]
    assert _ordre_de_la_file(relais) == _ordre_du_score_du_jour(relais)


def test_la_file_de_plusieurs_relais_suit_le_score_de_chacun(relais):
    autre = RelaisFactory()
    parametres = autre.parametres_classement
    parametres.poids_semaine_attente = 10
    parametres.save()
    ici = DemandeFactory(relais=relais, handicap=True, date_depot=_il_y_a(weeks=4))  # 15 + 4
    la_bas = DemandeFactory(relais=autre, date_depot=_il_y_a(weeks=3))  # 30 at least

    file = annoter_score(list_file_d_attente(Demande.objects.all(), FiltresFile()))

    assert [d.pk for d in file] == [la_bas.pk, ici.pk]
    assert file[0].score > file[1].score
