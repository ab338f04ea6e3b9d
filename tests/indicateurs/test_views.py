"""Dashboards through the client: who sees what, constant query count, CSV, PDF, recomputation."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditLog
from indicateurs import services
from indicateurs.models import Calcul, Engagement, HistoriqueEngagement
from tests.assmats.factories import AgrementFactory, AssistantMaternelFactory
from tests.demandes.factories import DemandeFactory
from tests.factories import AgentCafFactory, MembreRelaisFactory, RelaisFactory, UserFactory
from tests.indicateurs.scenario import OUVERT_AVANT, N, action, dt
from tests.pdf import texte_du_pdf

pytestmark = pytest.mark.django_db


def _relais_calcule(departement=None, ouverture=OUVERT_AVANT):
    relais = RelaisFactory(date_ouverture_guichet=ouverture, **({"departement": departement} if departement else {}))
    parent = UserFactory(last_name="Martin")
    demande = DemandeFactory(relais=relais, parent=parent, date_depot=dt(2025, 1, 1), enfant_prenom="Léon")
    action(demande, "rdv_propose", dt(2025, 1, 2))
    assmat = AssistantMaternelFactory(commune=relais.commune_siege, prenom="Sylvie", nom="Durand")
    AgrementFactory(assistant_maternel=assmat)
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    return relais, demande


def test_tableau_du_departement_nombre_de_requetes_constant(client, django_assert_max_num_queries):
    relais, _ = _relais_calcule()
    agent = AgentCafFactory(departement=relais.departement).user
    client.force_login(agent)
    url = reverse("indicateurs:tableau") + f"?annee={N}"
    with django_assert_max_num_queries(10) as un_relais:
        assert client.get(url).status_code == 200
    for _ in range(3):
        # Opened in N: mission 1 is met.
        autre, _ = _relais_calcule(relais.departement, ouverture=date(2025, 6, 1))
        Engagement.objects.create(relais=autre, annee=N, mission_1=True, mission_retenue=1)

    with django_assert_max_num_queries(len(un_relais.captured_queries)):
        reponse = client.get(url)

    assert reponse.content.decode().count("Mission 1 atteinte : 3000 €") == 3
    assert "total des financements : 9000 €" in reponse.content.decode()


def test_le_tableau_marque_l_etat_en_texte(client):
    relais, _ = _relais_calcule()
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    contenu = client.get(reverse("indicateurs:tableau") + f"?annee={N}").content.decode()

    assert "indéfini" in contenu
    assert "Aucune mission engagée : pas de financement" in contenu


def test_l_animatrice_voit_les_noms_derriere_un_chiffre(client):
    relais, demande = _relais_calcule()
    client.force_login(MembreRelaisFactory(relais=relais).user)

    contenu = client.get(
        reverse("indicateurs:detail", args=[relais.pk, "m1_demandes_en_ligne"]) + f"?annee={N}"
    ).content.decode()

    assert demande.reference in contenu
    assert "Martin (Léon)" in contenu


def test_l_agent_caf_voit_les_references_sans_les_noms(client):
    relais, demande = _relais_calcule()
    # Named by hand: a random agent called Martin would put the family's name in the page header.
    agent = AgentCafFactory(departement=relais.departement, user__first_name="Claire", user__last_name="Auger")
    client.force_login(agent.user)

    contenu = client.get(
        reverse("indicateurs:detail", args=[relais.pk, "m1_demandes_en_ligne"]) + f"?annee={N}"
    ).content.decode()
    assmats = client.get(
        reverse("indicateurs:detail", args=[relais.pk, "m2b_disponibilites"]) + f"?annee={N}"
    ).content.decode()

    assert demande.reference in contenu
    assert "Martin" not in contenu
    assert "Durand" not in assmats


def test_export_csv_du_departement(client):
    relais, _ = _relais_calcule()
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    reponse = client.get(reverse("indicateurs:tableau_csv") + f"?annee={N}")

    lignes = reponse.content.decode("utf-8-sig").splitlines()
    assert lignes[0].startswith(
        "Année;Chiffres;Département;Relais;Mission retenue;Décision;Financement (€);"
        "M1 demandes en ligne : demandes traitées en N;M1 demandes en ligne : demandes traitées en N-1;"
        "M1 demandes en ligne : rapport N / N-1;M1 demandes en ligne : cible;M1 demandes en ligne : état"
    )
    assert lignes[1].startswith(
        f"{N};définitifs;34;{relais.nom};aucune;Aucune mission engagée : pas de financement;;1;0;;1,2000;indéfini"
    )


def test_l_export_csv_laisse_une_trace_dans_le_journal(client):
    relais, _ = _relais_calcule()
    agent = AgentCafFactory(departement=relais.departement).user
    client.force_login(agent)

    reponse = client.get(reverse("indicateurs:tableau_csv") + f"?annee={N}")

    assert reponse.status_code == 200
    entree = AuditLog.objects.get(action="export")
    assert (entree.object_type, entree.email) == ("indicateurs.tableau", agent.email)
    assert entree.description == f"Export CSV des indicateurs {N}"


def test_l_agent_caf_modifie_l_engagement(client):
    relais, _ = _relais_calcule()
    agent = AgentCafFactory(departement=relais.departement).user
    client.force_login(agent)

    reponse = client.post(
        reverse("indicateurs:engagement", args=[relais.pk]) + f"?annee={N}",
        {"missions": ["1", "3"], "mission_retenue": "3"},
    )

    assert reponse.status_code == 302
    assert Engagement.objects.get(relais=relais, annee=N).missions == [1, 3]
    assert HistoriqueEngagement.objects.get().auteur == agent


def test_la_mission_retenue_non_engagee_est_refusee_par_le_formulaire(client):
    relais, _ = _relais_calcule()
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    reponse = client.post(
        reverse("indicateurs:engagement", args=[relais.pk]) + f"?annee={N}",
        {"missions": ["1"], "mission_retenue": "2"},
    )

    assert "La mission retenue doit faire partie des missions engagées." in reponse.content.decode()
    assert not Engagement.objects.exists()


def test_recalcul_demande_depuis_le_tableau_de_bord_et_sa_progression(client, django_capture_on_commit_callbacks):
    relais, _ = _relais_calcule()
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reponse = client.post(
            reverse("indicateurs:recalculer", args=[relais.pk]) + f"?annee={N}", headers={"HX-Request": "true"}
        )
    calcul = Calcul.objects.get()
    assert "en attente" in reponse.content.decode()
    assert len(callbacks) == 1

    services.executer_calcul(relais_id=relais.pk, annee=N, calcul_id=calcul.pk)  # what the task does
    contenu = client.get(reverse("indicateurs:calcul", args=[calcul.pk])).content.decode()

    assert "terminé" in contenu
    assert "hx-trigger" not in contenu


def test_la_page_du_relais_a_un_graphique_et_son_tableau_de_donnees(client):
    relais, _ = _relais_calcule()
    client.force_login(MembreRelaisFactory(relais=relais).user)

    contenu = client.get(reverse("indicateurs:relais", args=[relais.pk]) + f"?annee={N}").content.decode()

    assert '<svg role="img"' in contenu
    assert "Données du graphique en tableau" in contenu
    assert "pointillés" in contenu


def test_rapport_pdf_annuel(client, tmp_path):
    relais, _ = _relais_calcule()
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    reponse = client.get(reverse("indicateurs:rapport_pdf", args=[relais.pk]) + f"?annee={N}")

    assert reponse.content.startswith(b"%PDF")
    texte = texte_du_pdf(reponse.content, tmp_path, "rapport.pdf")
    assert f"Rapport annuel {N}" in texte
    assert "Demandes en ligne traitées" in texte
    assert "Aucune mission engagée" in texte
