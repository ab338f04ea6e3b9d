"""A CAF agent audits a relais in a real Chromium: département table, one figure's records, the annual PDF."""

import pytest

from indicateurs import services
from indicateurs.models import Engagement
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
