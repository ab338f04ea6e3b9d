from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.models import Mode, Situation, Statut
from demandes.permissions import demandes_for_user
from demandes.selectors import (
    DECALAGE_LUNDI,
    SECONDES_PAR_SEMAINE,
    FiltresFile,
    annoter_score,
    detail_du_score,
    list_file_d_attente,
    semaine_calendaire,
)
from tests.demandes.factories import DemandeFactory
from tests.factories import MembreRelaisFactory

pytestmark = pytest.mark.django_db


def _il_y_a(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def _semaines_avant(semaines: int, heures: int = 1):
    """A submission `semaines` Mondays ago: waiting weeks are counted on Monday 0:00 UTC."""
    debut_de_semaine = datetime.fromtimestamp(
        semaine_calendaire(timezone.now()) * SECONDES_PAR_SEMAINE - DECALAGE_LUNDI, tz=UTC
    )
    return debut_de_semaine - timedelta(weeks=semaines, hours=-heures)


@pytest.fixture
def exemple(relais, animatrice):
    """The worked example of the published criteria, with the default weights."""
    return {
        "urgente": DemandeFactory(
            relais=relais,
            urgente=True,
            situation_parent1=Situation.RECHERCHE_EMPLOI,
            date_depot=_semaines_avant(3),
        ),
        "isolee": DemandeFactory(
            relais=relais, rsa=True, parent_isole=True, handicap=True, date_depot=_semaines_avant(10)
        ),
        "premier": DemandeFactory(
            relais=relais,
            enfant_a_naitre=True,
            premier_enfant=True,
            quotient_familial=650,
            enfant_date=timezone.localdate() + timedelta(days=90),
            date_debut_souhaitee=timezone.localdate() + timedelta(days=200),
            date_depot=timezone.now(),
        ),
        "ancienne": DemandeFactory(relais=relais, date_depot=_semaines_avant(5, heures=1)),
        "egale": DemandeFactory(relais=relais, date_depot=_semaines_avant(5, heures=2)),
        "fermee": DemandeFactory(relais=relais, retiree=True, date_depot=_il_y_a(weeks=50)),
        "ailleurs": DemandeFactory(date_depot=_il_y_a(weeks=50)),
    }


def test_la_file_classe_par_score_avec_le_detail_puis_par_anciennete(exemple, animatrice):
    file = list(annoter_score(list_file_d_attente(demandes_for_user(animatrice), FiltresFile())))

    assert [d.pk for d in file] == [exemple[k].pk for k in ("urgente", "isolee", "premier", "ancienne", "egale")]
    assert [d.score for d in file] == [73, 60, 30, 5, 5]
    assert detail_du_score(file[0]) == [
        ("Besoin urgent sous 24 h", 50),
        ("Emploi, formation ou insertion", 20),
        ("3 semaine(s) d'attente", 3),
    ]
    assert detail_du_score(file[1]) == [
        ("RSA ou QF sous le seuil", 20),
        ("Parent isolé, enfant de moins de 3 ans", 15),
        ("Enfant en situation de handicap", 15),
        ("10 semaine(s) d'attente", 10),
    ]
    assert detail_du_score(file[2]) == [
        ("RSA ou QF sous le seuil", 20),
        ("Premier enfant attendu, revenus modestes", 10),
    ]


def test_changer_les_poids_reclasse_la_file_aussitot(exemple, relais, animatrice):
    parametres = relais.parametres_classement
    parametres.poids_urgence, parametres.seuil_qf = 0, 600
    parametres.save()

    file = list(annoter_score(list_file_d_attente(demandes_for_user(animatrice), FiltresFile())))

    # The urgent need, unanswered for three weeks, stays first whatever its points; the first child expected
    # loses its low-income points (QF 650 over the new 600 threshold) and falls behind the older request.
    assert [(d.pk, d.score) for d in file][:3] == [
        (exemple["urgente"].pk, 23),
        (exemple["isolee"].pk, 60),
        (exemple["ancienne"].pk, 5),
    ]


@pytest.mark.parametrize(
    ("filtres", "attendues"),
    [
        ({"urgence": "toutes"}, ["urgente"]),
        ({"age": "a_naitre"}, ["premier"]),
        ({"q": "RPE-2000"}, ["urgente", "isolee", "premier", "ancienne", "egale"]),
        ({"statut": Statut.PRISE_EN_CHARGE}, []),
    ],
)
def test_les_filtres_de_la_file(client, exemple, animatrice, filtres, attendues):
    client.force_login(animatrice)

    reponse = client.get(reverse("demandes:file"), filtres)

    assert [ligne["demande"].pk for ligne in reponse.context["lignes"]] == [exemple[k].pk for k in attendues]


def test_la_recherche_par_reference_exacte(client, exemple, animatrice):
    client.force_login(animatrice)

    reponse = client.get(reverse("demandes:file"), {"q": exemple["isolee"].reference})

    assert [ligne["demande"] for ligne in reponse.context["lignes"]] == [exemple["isolee"]]


def test_une_urgence_sans_reponse_depuis_plus_de_24_h_est_signalee_en_retard(client, relais, animatrice):
    DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=30))
    DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=3))
    client.force_login(animatrice)

    contenu = client.get(reverse("demandes:file")).content.decode()

    assert "Urgente – en retard de 6" in contenu
    assert "Urgente – reste 20" in contenu
    assert 'class="table-danger"' in contenu


def test_une_ligne_de_la_file_montre_le_score_la_famille_l_enfant_et_qui_suit_la_demande(
    client, relais, animatrice, parent
):
    hier_23_h_30_utc = (timezone.now() - timedelta(days=1)).replace(hour=23, minute=30)
    attendu = DemandeFactory(
        relais=relais,
        parent=parent,
        enfant_prenom="Léa",
        enfant_a_naitre=True,
        premier_enfant=True,
        quotient_familial=650,
        enfant_date=timezone.localdate() + timedelta(days=90),
        date_debut_souhaitee=timezone.localdate() + timedelta(days=200),
        modes=[Mode.CRECHE, Mode.ASSMAT],
        date_depot=hier_23_h_30_utc,
    )
    suivie = DemandeFactory(relais=relais, statut=Statut.PRISE_EN_CHARGE, prise_par=animatrice)
    client.force_login(animatrice)

    contenu = client.get(reverse("demandes:file")).content.decode()

    assert f'<a href="{reverse("demandes:detail", args=[attendu.pk])}">{attendu.reference}</a>' in contenu
    # Submitted at 23:30 UTC: already the next day in Paris.
    assert f"Nadia Benali – déposée le {hier_23_h_30_utc.date() + timedelta(days=1):%d/%m/%Y}" in contenu
    assert "<li>RSA ou QF sous le seuil : +20</li><li>Premier enfant attendu, revenus modestes : +10</li>" in contenu
    assert f'<td>Léa (à naître)<br><span class="small">{attendu.enfant_date:%d/%m/%Y}</span></td>' in contenu
    assert "<td>Saint-Clément</td>" in contenu
    assert f'{attendu.date_debut_souhaitee:%d/%m/%Y}<br><span class="small">Crèche / EAJE, Assistant·e' in contenu
    assert f'action="{reverse("demandes:prendre", args=[attendu.pk])}"' in contenu
    assert f'action="{reverse("demandes:prendre", args=[suivie.pk])}"' not in contenu
    assert 'Prise en charge<br><span class="small">par Camille Martin</span>' in contenu
    assert "<li>Aucun critère</li>" in contenu


def test_la_file_n_affiche_pas_les_commentaires_de_son_gabarit(client, relais, animatrice):
    DemandeFactory(relais=relais)
    client.force_login(animatrice)

    contenu = client.get(reverse("demandes:file")).content.decode()

    assert "{#" not in contenu
    assert "#}" not in contenu


def test_la_file_d_une_animatrice_ne_montre_pas_les_demandes_d_un_autre_relais(client, exemple):
    autre = MembreRelaisFactory().user
    DemandeFactory(relais=autre.relais_membre.get().relais)
    client.force_login(autre)

    lignes = client.get(reverse("demandes:file")).context["lignes"]

    assert len(lignes) == 1
    assert exemple["ailleurs"].pk not in [ligne["demande"].pk for ligne in lignes]


def test_file_d_attente_nombre_de_requetes_constant(client, relais, animatrice, django_assert_num_queries):
    client.force_login(animatrice)
    for _ in range(3):
        DemandeFactory(relais=relais, prise=True)
    # session, user, relais, communes (filters), count, ids of the page, rows of the page
    with django_assert_num_queries(7):
        client.get(reverse("demandes:file"))
    for _ in range(30):
        DemandeFactory(relais=relais, urgente=True)
    with django_assert_num_queries(7):
        client.get(reverse("demandes:file"), {"page": 2})


def test_la_page_des_criteres_est_generee_depuis_la_configuration(client, relais):
    relais.parametres_classement.poids_handicap = 33
    relais.parametres_classement.save()

    contenu = client.get(reverse("demandes:criteres"), {"relais": relais.pk}).content.decode()

    assert "RPE des Garrigues" in contenu
    assert 'Enfant en situation de handicap</td><td class="text-end">33' in contenu


def test_un_filtre_mal_saisi_est_explique_au_lieu_d_etre_ignore_en_silence(client, exemple, animatrice):
    client.force_login(animatrice)

    reponse = client.get(reverse("demandes:file"), {"mois_debut": "2024-13"})

    contenu = reponse.content.decode()
    assert 'id="resume-erreurs"' in contenu
    assert "Mois de début : Saisissez une date valide." in contenu
    assert "Les filtres ne sont pas appliqués" in contenu


@pytest.mark.parametrize("relais_saisi", ["²", "1" * 5000, "-1"])
def test_la_page_des_criteres_ignore_un_relais_forge(client, relais, relais_saisi):
    reponse = client.get(reverse("demandes:criteres"), {"relais": relais_saisi})

    assert reponse.status_code == 200
    assert "RPE des Garrigues" in reponse.content.decode()


def _file(client, animatrice, **filtres) -> list:
    client.force_login(animatrice)
    return [ligne["demande"] for ligne in client.get(reverse("demandes:file"), filtres).context["lignes"]]


def test_une_urgence_sans_reponse_reste_en_tete_quel_que_soit_le_tri(client, relais, animatrice):
    ancienne = DemandeFactory(relais=relais, date_depot=_il_y_a(days=90), date_debut_souhaitee=timezone.localdate())
    urgente = DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=2))

    for tri in ("score", "anciennete", "debut"):
        assert _file(client, animatrice, tri=tri) == [urgente, ancienne], tri


def test_la_file_se_trie_par_anciennete_ou_par_date_de_debut(client, relais, animatrice):
    aujourd_hui = timezone.localdate()
    tot_mais_recente = DemandeFactory(
        relais=relais, rsa=True, date_depot=_il_y_a(days=2), date_debut_souhaitee=aujourd_hui + timedelta(days=10)
    )
    ancienne_mais_tardive = DemandeFactory(
        relais=relais, date_depot=_il_y_a(days=40), date_debut_souhaitee=aujourd_hui + timedelta(days=300)
    )

    assert _file(client, animatrice, tri="anciennete") == [ancienne_mais_tardive, tot_mais_recente]
    assert _file(client, animatrice, tri="debut") == [tot_mais_recente, ancienne_mais_tardive]


def test_le_filtre_mes_demandes_ne_garde_que_celles_que_je_suis(client, relais, animatrice):
    a_moi = DemandeFactory(relais=relais, statut=Statut.PRISE_EN_CHARGE, prise_par=animatrice)
    DemandeFactory(relais=relais, prise=True)
    DemandeFactory(relais=relais)

    assert _file(client, animatrice, mes_demandes="on") == [a_moi]


def test_les_demandes_closes_se_retrouvent_par_la_recherche(client, relais, animatrice):
    DemandeFactory(relais=relais, parent__last_name="Benali")
    close = DemandeFactory(relais=relais, solution_trouvee=True, parent__last_name="Benali")
    retiree = DemandeFactory(
        relais=relais, retiree=True, parent__last_name="Benali", statut_modifie_at=_il_y_a(days=3)
    )

    assert _file(client, animatrice, statut="closes", q="benali") == [close, retiree]
    assert _file(client, animatrice, statut=Statut.RETIREE, q="benali") == [retiree]
    assert close not in _file(client, animatrice, q="benali")


def test_le_filtre_des_urgences_en_retard(client, relais, animatrice):
    en_retard = DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=30))
    dans_les_temps = DemandeFactory(relais=relais, urgente=True, date_depot=_il_y_a(hours=3))
    DemandeFactory(relais=relais, urgente=True, rdv_propose=True, date_depot=_il_y_a(hours=40))
    DemandeFactory(relais=relais)

    assert _file(client, animatrice, urgence="en_retard") == [en_retard]
    assert _file(client, animatrice, urgence="sans_reponse") == [en_retard, dans_les_temps]
