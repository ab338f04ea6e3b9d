"""The Content-Security-Policy blocks nothing our own pages need, and htmx runs under it."""

import pytest

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _violations(page):
    found = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


def test_les_pages_publiques_et_la_connexion_ne_declenchent_aucune_violation_csp(page):
    violations = _violations(page)
    parent = UserFactory()

    page.goto("/")
    assert page.evaluate("typeof htmx") == "object"
    # base.html's htmx-config: no inline <style> injected, no eval.
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.locator("style").count() == 0
    page.goto("/assmats/recherche/")
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(parent.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("button", name="Se déconnecter").wait_for()
    page.goto("/demandes/deposer/", wait_until="networkidle")

    assert violations == []


def test_un_script_inline_serait_bloque(page):
    """The policy is really enforced: an injected inline script does not run."""
    violations = _violations(page)
    page.goto("/")

    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injecte = true';"
        " document.body.appendChild(s); }"
    )

    assert page.evaluate("window.injecte === true") is False
    assert violations


def test_la_mise_en_place_du_totp_fonctionne_sous_la_csp(page, settings):
    """A staff member logging in without a second factor lands on the TOTP setup page, QR code shown."""
    settings.STAFF_MFA_REQUIRED = True
    violations = _violations(page)
    animatrice = UserFactory(animateur=True)

    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(animatrice.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    # allauth asks for the password again before any authenticator is added, even just after login.
    page.wait_for_url("**/comptes/reauthenticate/**")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url("**/2fa/totp/activate/")

    assert page.locator("img[src^='data:image/svg+xml']").count() == 1
    assert violations == []
