"""A CAF agent audits a relais in a real Chromium: département table, one figure's records, the annual PDF."""

import threading
from unittest import mock

import pytest
from django.db import connection

from indicateurs import services
from indicateurs.models import Engagement
from indicateurs.tasks import calculer_indicateurs_du_departement
from tests.browser.test_offre import _se_connecter
from tests.demandes.factories import DemandeFactory
from tests.factories import AgentCafFactory, RelaisFactory
from tests.indicateurs.scenario import OUVERT_AVANT, N, action, dt
from tests.navigateur import violations_graves
from tests.pdf import texte_du_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_un_agent_caf_ouvre_le_tableau_consulte_un_chiffre_et_telecharge_le_rapport(page, axe, tmp_path):
    relais = RelaisFactory(nom="RPE des Garrigues", date_ouverture_guichet=OUVERT_AVANT)
    action(DemandeFactory(relais=relais, date_depot=dt(2024, 2, 1)), "rdv_propose", dt(2024, 2, 2))
    demandes = [DemandeFactory(relais=relais, date_depot=dt(2025, mois, 1)) for mois in (1, 2)]
    for demande in demandes:
        action(demande, "rdv_propose", demande.date_depot.replace(day=3))
    Engagement.objects.create(relais=relais, annee=N, mission_1=True, mission_retenue=1)
    services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    agent = AgentCafFactory(departement=relais.departement).user

    _se_connecter(page, agent.email)
    page.goto(f"/indicateurs/?annee={N}")
    assert "Mission 1 atteinte : 3000 €" in page.content()
    assert "total des financements : 3000 €" in page.content()
    assert violations_graves(axe, page) == []

    page.get_by_role("link", name="RPE des Garrigues").click()
    page.get_by_role(
        "link", name="Voir les dossiers : Demandes en ligne traitées (N / N-1), ou ouverture du service en N"
    ).click()
    page.get_by_role("heading", name="Demandes traitées en N (2)").wait_for()
    for demande in demandes:
        assert demande.reference in page.content()
    assert violations_graves(axe, page) == []

    page.get_by_role("link", name=f"← Indicateurs {N} de RPE des Garrigues").click()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Rapport annuel (PDF)").click()
    contenu = open(telechargement.value.path(), "rb").read()  # noqa: PTH123 - Playwright gives a str path
    assert contenu.startswith(b"%PDF")
    texte = texte_du_pdf(contenu, tmp_path, "rapport.pdf")
    assert "RPE des Garrigues" in texte
    assert "Mission 1 atteinte : 3000 €" in texte


def _le_worker_un_peu_plus_tard(*args, **kwargs):
    """The task, run by « a worker » a second after it was queued: the page must poll to see it end."""

    def travail():
        try:
            calculer_indicateurs_du_departement(*args, **kwargs)
        finally:
            connection.close()

    threading.Timer(1.0, travail).start()


def test_recalculer_le_departement_met_la_page_a_jour_sans_la_recharger(page):
    premier = RelaisFactory(nom="RPE des Garrigues", date_ouverture_guichet=OUVERT_AVANT)
    RelaisFactory(nom="RPE du Littoral", departement=premier.departement, date_ouverture_guichet=OUVERT_AVANT)
    action(DemandeFactory(relais=premier, date_depot=dt(N, 1, 6)), "rdv_propose", dt(N, 1, 7))
    agent = AgentCafFactory(departement=premier.departement).user
    _se_connecter(page, agent.email)
    page.goto(f"/indicateurs/?annee={N}")
    assert page.get_by_text("pas encore calculé").count() == 2
    page.evaluate("window.pasRechargee = true")

    with mock.patch.object(calculer_indicateurs_du_departement, "delay", side_effect=_le_worker_un_peu_plus_tard):
        page.get_by_role("button", name="Recalculer le département").click()
        page.get_by_text("Recalcul du département en attente").wait_for()
        page.get_by_text("Département recalculé le").wait_for(timeout=15_000)

    assert page.get_by_text("pas encore calculé").count() == 0
    assert page.evaluate("window.pasRechargee") is True


DEBORDEMENTS = """() => {
  const largeur = document.documentElement.clientWidth;
  const problemes = [];
  if (document.documentElement.scrollWidth > largeur) {
    problemes.push(`la page défile de côté (${document.documentElement.scrollWidth} px pour ${largeur})`);
  }
  document.querySelectorAll(".table-responsive").forEach((enveloppe) => {
    if (enveloppe.scrollWidth > enveloppe.clientWidth) {
      problemes.push(`un tableau défile de côté (${enveloppe.scrollWidth} px pour ${enveloppe.clientWidth})`);
    }
  });
  return problemes;
}"""


def test_le_tableau_de_bord_tient_sur_un_ecran_de_1280_px_sans_defilement_horizontal(page):
    departement = RelaisFactory().departement
    for numero in range(8):
        relais = RelaisFactory(
            departement=departement,
            nom=f"RPE de la Communauté de communes du Grand Pic Saint-Loup et des Cévennes {numero}",
            date_ouverture_guichet=OUVERT_AVANT,
        )
        Engagement.objects.create(relais=relais, annee=N, mission_1=True, mission_retenue=1)
        services.enregistrer_indicateurs(relais_id=relais.pk, annee=N)
    agent = AgentCafFactory(departement=departement).user
    page.set_viewport_size({"width": 1280, "height": 800})

    _se_connecter(page, agent.email)
    for adresse in (f"/indicateurs/?annee={N}", f"/indicateurs/departements/{departement.pk}/?annee={N}"):
        page.goto(adresse)
        assert page.evaluate(DEBORDEMENTS) == [], adresse
