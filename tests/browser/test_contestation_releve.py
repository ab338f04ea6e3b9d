"""A parent disputes a monthly statement in the browser: the reason is required, recorded, and the relais is told."""

from datetime import date

import pytest
from django.urls import reverse

from courriels.models import Email
from tests.factories import PASSWORD
from tests.navigateur import violations_graves
from tests.tiers_payant.factories import ConventionFactory, releve
from tiers_payant import tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOTIF = "Il manque les heures du samedi 14 novembre."


def _se_connecter(page, email):
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(lambda url: "/comptes/login/" not in url)


def test_le_parent_conteste_un_releve_avec_un_motif_et_le_relais_est_prevenu(page, axe, monkeypatch):
    # No worker runs beside the live server: the task queued after the commit runs at once, in the same process.
    monkeypatch.setattr(tasks.notifier_contestation, "delay", tasks.notifier_contestation)
    convention = ConventionFactory(active=True, date_debut=date(2026, 11, 1), enfant_prenom="Lina")
    mensuel = releve(convention, mois=date(2026, 11, 1))
    _se_connecter(page, convention.parent.email)

    page.goto(reverse("tiers_payant:releves", args=[convention.pk]))
    page.get_by_role("link", name="Contester novembre 2026").click()
    page.get_by_role("heading", name="Contester le relevé de novembre 2026").wait_for()
    assert violations_graves(axe, page) == []

    page.get_by_role("button", name="Contester le relevé").click()
    page.locator("#resume-erreurs").wait_for()
    assert violations_graves(axe, page) == []
    mensuel.refresh_from_db()
    assert not mensuel.conteste

    page.get_by_label("Ce qui est inexact dans le relevé").fill(MOTIF)
    # The limit is seen before it is reached, on this form as on the request's.
    page.get_by_text(f"{len(MOTIF)} caractères sur 2000").wait_for()
    page.get_by_role("button", name="Contester le relevé").click()
    page.get_by_text("Relevé de 11/2026 contesté : le relais est prévenu par e-mail").wait_for()
    assert f"« {MOTIF} »" in page.content()
    assert violations_graves(axe, page) == []

    mensuel.refresh_from_db()
    assert (mensuel.conteste_par, mensuel.motif_contestation) == (convention.parent, MOTIF)
    (courriel,) = Email.objects.filter(destinataire=convention.relais.email)
    assert MOTIF in courriel.corps
