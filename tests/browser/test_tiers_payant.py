"""An agent prepares a tiers payant convention, the parent and the childminder sign it with their own
accounts, and the signed PDF downloads with the parties, the amounts and the signature times."""

import hashlib

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, AgentCafFactory, RelaisFactory, UserFactory
from tests.navigateur import violations_graves
from tests.tiers_payant.factories import assmat_agreee, premier_du_mois
from tests.tiers_payant.test_pdf import texte_du_pdf
from tiers_payant import selectors
from tiers_payant.models import Convention, Statut

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _se_connecter(page, email):
    page.context.clear_cookies()
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(lambda url: "/comptes/login/" not in url)


def _signer(page, convention):
    page.goto(f"/tiers-payant/conventions/{convention.pk}/")
    page.get_by_role("button", name="Signer la convention").click()
    page.get_by_text("Votre signature est enregistrée.").wait_for()


def test_preparer_signer_et_telecharger_la_convention(page, axe, tmp_path):
    relais = RelaisFactory(nom="RPE des Garrigues")
    agent = AgentCafFactory(departement=relais.departement, user__first_name="Bruno", user__last_name="Caf").user
    parent = UserFactory(first_name="Paula", last_name="Parent")
    assmat = assmat_agreee(commune=relais.commune_siege, user__first_name="Sylvie", user__last_name="Nounou")

    _se_connecter(page, agent.email)
    page.goto("/tiers-payant/conventions/preparer/")
    page.fill("#id_parent_email", parent.email)
    page.select_option("#id_commune_famille", str(relais.commune_siege.pk))
    page.fill("#id_enfant_prenom", "Lina")
    page.fill("#id_enfant_naissance", "2025-03-15")
    page.select_option("#id_assistant_maternel", str(assmat.pk))
    page.fill("#id_date_debut", premier_du_mois().isoformat())
    page.fill("#id_heures_mensuelles", "125")
    page.fill("#id_salaire_horaire", "4,85")
    page.fill("#id_ressources_mensuelles", "3000")
    page.check("#id_rsa")
    page.get_by_role("button", name="Estimer le CMG et vérifier l'éligibilité").click()
    page.get_by_text("La famille remplit les conditions du tiers payant.").wait_for()
    assert "374,13 €" in page.content()
    assert violations_graves(axe, page) == []

    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("button", name="Envoyer pour signature").click()
    page.get_by_text("Convention envoyée pour signature").wait_for()
    convention = Convention.objects.get()
    _signer(page, convention)  # the agent signs for the CAF
    assert violations_graves(axe, page) == []

    _se_connecter(page, parent.email)
    _signer(page, convention)
    _se_connecter(page, assmat.user.email)
    _signer(page, convention)

    page.get_by_text("Convention signée par toutes les parties").wait_for()
    convention.refresh_from_db()
    assert convention.statut == Statut.SIGNEE
    empreinte_affichee = page.locator("#empreinte-signee").inner_text()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le PDF").click()
    contenu = open(telechargement.value.path(), "rb").read()  # noqa: PTH123 - Playwright gives a str path

    assert contenu.startswith(b"%PDF")
    assert hashlib.sha256(contenu).hexdigest() == empreinte_affichee
    texte = " ".join(texte_du_pdf(contenu, tmp_path).split())
    for attendu in ("CAF de l'Hérault", "Bruno Caf", "Paula Parent", "Sylvie Nounou", assmat.agrement.numero):
        assert attendu in texte
    for montant in ("125 h", "4,85 €", "374,13 €", "232,12 €"):
        assert montant in texte
    for signature in selectors.signatures_en_vigueur(convention).values():
        local = timezone.localtime(signature.signed_at)
        assert f"le {local:%d/%m/%Y} à {local:%H:%M:%S}" in texte
