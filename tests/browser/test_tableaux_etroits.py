"""On a 375 px phone, the portal's data tables scroll inside their wrapper, never the page, and the row's key
(its first column: a name, a reference, a month) stays on screen however far the table is scrolled."""

import pytest
from django.urls import reverse

from tests.browser.test_accessibilite import contexte_connecte, monde  # noqa: F401 - monde is the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ECRAN = {"width": 375, "height": 700}

# The main table pages of each role (lists, queue, statements, indicators).
PAGES = {
    "parent_a": [
        ("mes demandes", lambda m: reverse("demandes:mes_demandes")),
        ("relevés d'une convention", lambda m: reverse("tiers_payant:releves", args=[m.convention.pk])),
    ],
    "assmat": [
        ("enfants accueillis", lambda m: reverse("assmats:accueils")),
        ("conventions", lambda m: reverse("tiers_payant:conventions")),
    ],
    "animateur_x": [
        ("file des demandes", lambda m: reverse("demandes:file")),
        ("assistant·es maternel·les du territoire", lambda m: reverse("assmats:liste")),
        ("suivi des sous-activités", lambda m: reverse("assmats:sous_activites")),
        ("structures", lambda m: reverse("assmats:structures")),
        ("équipe du relais", lambda m: reverse("relais:equipe", args=[m.relais_x.pk])),
        ("sessions de formation", lambda m: reverse("formation:sessions")),
        ("une session", lambda m: reverse("formation:session", args=[m.session_x.pk])),
        ("organismes de formation", lambda m: reverse("formation:organismes")),
        ("accueils pendant une formation", lambda m: reverse("formation:demandes")),
        ("conventions", lambda m: reverse("tiers_payant:conventions")),
        ("indicateurs du relais", lambda m: reverse("indicateurs:relais", args=[m.relais_x.pk])),
    ],
    "agent_caf": [
        ("tableau départemental des indicateurs", lambda m: reverse("indicateurs:tableau")),
        ("conventions", lambda m: reverse("tiers_payant:conventions")),
    ],
    "admin": [("journal d'audit", lambda m: reverse("audit:journal"))],
}

# Every table scrolled to its right end: its first column's cells must still be within the screen.
VERIFIER = """() => {
  const largeur = document.documentElement.clientWidth;
  const problemes = [];
  if (document.documentElement.scrollWidth > largeur) {
    problemes.push(`la page défile de côté (${document.documentElement.scrollWidth} px)`);
  }
  document.querySelectorAll("table").forEach((table, rang) => {
    const enveloppe = table.closest(".table-responsive");
    if (!enveloppe) {
      if (table.getBoundingClientRect().right > largeur + 1) {
        problemes.push(`tableau ${rang + 1} sans .table-responsive`);
      }
      return;
    }
    enveloppe.scrollLeft = enveloppe.scrollWidth;
    table.querySelectorAll(":scope > :not(caption) > tr > :first-child").forEach((cellule) => {
      const cadre = cellule.getBoundingClientRect();
      if (cadre.width && (cadre.left < -1 || cadre.right > largeur + 1)) {
        problemes.push(`tableau ${rang + 1} : « ${cellule.innerText.trim().slice(0, 30)} » hors de l'écran`);
      }
    });
  });
  return problemes;
}"""


@pytest.mark.parametrize("role", PAGES)
def test_a_375_pixels_la_colonne_cle_des_tableaux_reste_visible(browser, live_server, monde, role):  # noqa: F811
    contexte = contexte_connecte(browser, live_server, monde.users[role])
    page = contexte.new_page()
    page.set_viewport_size(ECRAN)
    problemes = {}
    tableaux = 0
    try:
        for libelle, url in PAGES[role]:
            reponse = page.goto(url(monde))
            assert reponse.status == 200, f"{libelle} : {reponse.status}"
            tableaux += page.locator("table").count()
            if trouves := page.evaluate(VERIFIER):
                problemes[libelle] = trouves
    finally:
        contexte.close()

    assert tableaux >= len(PAGES[role])  # each page shows at least one table: the walk checks something
    assert problemes == {}
