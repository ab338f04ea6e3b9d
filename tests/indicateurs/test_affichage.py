"""Display that is true, hand-computed: a fraction only for a share or a progression, a median and a count as what
they are, the running year provisional everywhere (page, CSV, PDF), exports in French."""

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from indicateurs import selectors, services
from indicateurs.calculs import INDICATEURS
from indicateurs.models import Engagement, Snapshot
from tests.demandes.factories import DemandeFactory
from tests.factories import AgentCafFactory, RelaisFactory
from tests.indicateurs.scenario import OUVERT_AVANT, N, action, dt, rendez_vous
from tests.pdf import texte_du_pdf

pytestmark = pytest.mark.django_db


def _relais_de_l_annee():
    """N-1: 1 request processed; N: 2 processed (× 2,00), one with an appointment 2 days after its submission and
    one with an appointment 4 days after (median 3 days), one of the two closed « sans solution »."""
    relais = RelaisFactory(date_ouverture_guichet=OUVERT_AVANT)
    action(DemandeFactory(relais=relais, date_depot=dt(2024, 3, 1)), "rdv_propose", dt(2024, 3, 2))
    a = DemandeFactory(relais=relais, date_depot=dt(2025, 2, 1))
    rendez_vous(a, dt(2025, 2, 2), debut=dt(2025, 2, 3))
    b = DemandeFactory(relais=relais, date_depot=dt(2025, 3, 1), sans_solution=True)
    rendez_vous(b, dt(2025, 3, 2), debut=dt(2025, 3, 5))
    action(b, "sans_solution", dt(2025, 4, 1), de="rdv_propose")
    Engagement.objects.create(relais=relais, annee=N, mission_1=True, mission_retenue=1)
    return relais


def _chiffres(relais):
    ligne = selectors.lignes_du_tableau(type(relais).objects.filter(pk=relais.pk), N)[0]
    return ligne, {c.code: c for c in ligne.chiffres}


def test_une_fraction_seulement_pour_les_parts_et_les_progressions():
    relais = _relais_de_l_annee()
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)

    _ligne, chiffres = _chiffres(relais)

    assert chiffres["m1_demandes_en_ligne"].expression == "2 / 1 = × 2,00"
    assert chiffres["delai_premier_rdv"].expression == (
        "médiane : 3,0 jours (2 demandes avec un rendez-vous sur 2 demandes déposées)"
    )
    assert chiffres["besoins_non_satisfaits"].expression == "1 demande close sans solution (sur 1 demande close)"
    assert "/" not in chiffres["delai_premier_rdv"].expression
    assert chiffres["m1_demandes_en_ligne"].etat_libelle == "atteint"


def test_le_tableau_marque_chaque_etat_d_une_couleur_et_d_un_signe(client):
    relais = _relais_de_l_annee()
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    tableau = client.get(reverse("indicateurs:tableau") + f"?annee={N}").content.decode()

    _ligne, chiffres = _chiffres(relais)
    etats = {c.etat for c in chiffres.values()}
    assert {"atteint", "sans_cible"} <= etats
    assert '<span class="badge text-bg-success"><span aria-hidden="true">✔</span> atteint</span>' in tableau
    assert '<span class="badge text-bg-light border">suivi (sans cible)</span>' in tableau


@pytest.mark.parametrize(
    ("cible", "atteint", "badge"),
    [
        (
            Decimal("0.5"),
            False,
            '<span class="badge text-bg-danger"><span aria-hidden="true">✘</span> non atteint</span>',
        ),
        (
            Decimal("0.5"),
            None,
            '<span class="badge text-bg-secondary"><span aria-hidden="true">?</span> indéfini</span>',
        ),
    ],
)
def test_un_chiffre_non_atteint_ou_indefini_a_son_badge(cible, atteint, badge):
    chiffre = selectors.Chiffre(INDICATEURS[0], Snapshot(cible=cible, atteint=atteint))

    assert chiffre.badge == badge


def test_une_part_sans_rien_a_compter_est_sans_objet_et_jamais_zero_sur_zero(client):
    relais = _relais_de_l_annee()  # no childminder in under-activity, no alternative childcare request
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    _ligne, chiffres = _chiffres(relais)
    page = client.get(reverse("indicateurs:relais", args=[relais.pk]) + f"?annee={N}").content.decode()

    assert chiffres["m2a_entretiens"].expression == (
        "0 assistant maternel à qui un entretien a été proposé ; 0 assistant maternel en sous-activité : "
        "part sans objet"
    )
    assert chiffres["m2a_entretiens"].valeur_affichee == "— sans objet"
    assert "0 / 0" not in page
    assert "= indéfini" not in page


def test_l_annee_en_cours_est_provisoire_et_atteinte_a_ce_jour_partout(client, tmp_path):
    relais = _relais_de_l_annee()
    client.force_login(AgentCafFactory(departement=relais.departement).user)
    with time_machine.travel(dt(2025, 6, 15), tick=False):
        services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
        ligne, chiffres = _chiffres(relais)
        page = client.get(reverse("indicateurs:relais", args=[relais.pk]) + f"?annee={N}").content.decode()
        tableau = client.get(reverse("indicateurs:tableau") + f"?annee={N}").content.decode()
        fichier = client.get(reverse("indicateurs:tableau_csv") + f"?annee={N}")
        pdf = client.get(reverse("indicateurs:rapport_pdf", args=[relais.pk]) + f"?annee={N}").content

    assert chiffres["m1_demandes_en_ligne"].etat_libelle == "atteint à ce jour"
    assert ligne.decision.libelle == "Mission 1 atteinte à ce jour : 3000 € (provisoire)"
    for contenu in (page, tableau):
        assert "Chiffres provisoires" in contenu
        assert "atteint à ce jour" in contenu
    assert "Mission 1 atteinte à ce jour" in page
    lignes = list(csv.DictReader(io.StringIO(fichier.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0]["Chiffres"] == "provisoires (année en cours)"
    assert lignes[0]["M1 demandes en ligne : état"] == "atteint à ce jour"
    assert "provisoire" in fichier["Content-Disposition"]
    texte = " ".join(texte_du_pdf(pdf, tmp_path, "rapport.pdf").split())  # table cells wrap
    assert f"Rapport annuel {N} (provisoire)" in texte
    assert "atteint à ce jour" in texte


def test_l_export_csv_est_en_francais_lisible_avec_la_virgule_decimale(client):
    relais = _relais_de_l_annee()
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    fichier = client.get(reverse("indicateurs:tableau_csv") + f"?annee={N}").content.decode("utf-8-sig")

    ligne = next(csv.DictReader(io.StringIO(fichier), delimiter=";"))
    assert "_" not in fichier.splitlines()[0]  # no code such as m1_demandes_en_ligne in a header
    assert ligne["Chiffres"] == "définitifs"
    assert ligne["M1 demandes en ligne : rapport N / N-1"] == "2,0000"
    assert ligne["M1 demandes en ligne : cible"] == "1,2000"
    assert ligne["Délai avant le premier rendez-vous : médiane (jours)"] == "3,00"
    assert ligne["M2a entretiens : état"] == "indéfini"
    assert ligne["Demandes sans solution : nombre"] == "1"
    assert ligne["Décision"] == "Mission 1 atteinte : 3000 €"
    assert "non_atteint" not in fichier
