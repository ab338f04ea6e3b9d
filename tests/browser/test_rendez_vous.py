"""The appointment's blocks in a real Chromium: the animatrice's (outcome, move, cancel) and the family's (calendar
file, « Je confirme », « Je souhaite le déplacer »), each free of serious accessibility faults and usable."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.models import RendezVous, Statut
from tests.browser.test_offre import _se_connecter
from tests.demandes.factories import RendezVousFactory
from tests.navigateur import violations_graves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _bloc(page, titre: str):
    return page.locator("section").filter(has=page.get_by_role("heading", name=titre))


def test_l_animatrice_voit_le_rendez_vous_passe_avec_ses_trois_formulaires_et_l_annule(page, axe):
    rdv = RendezVousFactory(debut=timezone.now() - timedelta(hours=1))
    _se_connecter(page, rdv.demande.prise_par.email)
    page.goto(reverse("demandes:detail", args=[rdv.demande.pk]))
    bloc = _bloc(page, "Rendez-vous prévu")
    bloc.locator("summary", has_text="Déplacer le rendez-vous").click()
    bloc.locator("summary", has_text="Annuler le rendez-vous").click()

    assert bloc.get_by_role("button", name="Noter l'issue").is_visible()
    assert bloc.get_by_role("button", name="Déplacer le rendez-vous").is_visible()
    assert violations_graves(axe, page) == []

    annulation = bloc.locator("details").filter(has_text="Annuler le rendez-vous")
    annulation.get_by_label("Motif").fill("Animatrice absente ce jour-là.")
    annulation.get_by_role("button", name="Annuler le rendez-vous").click()
    page.get_by_text("Rendez-vous annulé : la famille en est prévenue par e-mail.").wait_for()

    assert _bloc(page, "Proposer un rendez-vous").is_visible()
    rdv.refresh_from_db()
    assert (rdv.statut, rdv.motif_annulation) == (RendezVous.Statut.ANNULE, "Animatrice absente ce jour-là.")
    assert rdv.demande.statut == Statut.PRISE_EN_CHARGE


def test_la_famille_voit_son_rendez_vous_et_le_confirme(page, axe):
    rdv = RendezVousFactory(debut=timezone.now() + timedelta(days=3))
    _se_connecter(page, rdv.demande.parent.email)
    page.goto(reverse("demandes:detail", args=[rdv.demande.pk]))
    bloc = _bloc(page, "Mon rendez-vous")
    bloc.locator("summary", has_text="Je souhaite le déplacer").click()

    assert bloc.get_by_role("link", name="Ajouter à mon agenda").is_visible()
    assert bloc.get_by_role("button", name="Envoyer ma demande au relais").is_visible()
    assert violations_graves(axe, page) == []

    bloc.get_by_role("button", name="Je confirme").click()
    page.get_by_text("Vous avez confirmé ce rendez-vous le").wait_for()

    assert not _bloc(page, "Mon rendez-vous").get_by_role("button", name="Je confirme").is_visible()
    rdv.refresh_from_db()
    assert rdv.reponse_famille == RendezVous.ReponseFamille.CONFIRME
