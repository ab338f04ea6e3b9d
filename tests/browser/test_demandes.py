"""A request from the family's form to its solution, in a real Chromium: the parent sees every step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.models import Demande, Statut
from tests.browser.test_offre import _se_connecter
from tests.demandes.factories import DemandeFactory
from tests.factories import CommuneFactory, MembreRelaisFactory, RelaisFactory, UserFactory
from tests.navigateur import violations_graves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _jour(jours: int) -> str:
    return (timezone.localdate() + timedelta(days=jours)).isoformat()


def _section(page, titre: str):
    return page.locator("section").filter(has=page.get_by_role("heading", name=titre))


def _statut_vu_par_la_famille(famille) -> str:
    famille.reload()
    return famille.locator("p.lead").inner_text()


def test_une_famille_depose_sa_demande_et_suit_chaque_etape_jusqu_a_la_solution(browser, live_server, axe):
    siege = CommuneFactory(nom="Saint-Clément-de-Rivière", code_insee="34247")
    relais = RelaisFactory(nom="RPE des Garrigues", commune_siege=siege)
    animatrice = MembreRelaisFactory(relais=relais, user__first_name="Camille", user__last_name="Martin").user
    parent = UserFactory(first_name="Nadia", last_name="Benali")
    contextes = [browser.new_context(base_url=live_server.url, locale="fr-FR") for _ in range(2)]
    famille, relais_page = (contexte.new_page() for contexte in contextes)
    for page in (famille, relais_page):
        page.set_default_timeout(10_000)
    try:
        # The family: every step of the form, with an error shown and checked for accessibility on the way.
        _se_connecter(famille, parent.email)
        famille.goto("/demandes/mes-demandes/")
        famille.get_by_role("link", name="Faire une demande").click()
        famille.get_by_label("Votre téléphone").fill("12 34")
        famille.get_by_label("Code postal").fill(siege.codes_postaux[0])
        famille.get_by_label("Commune de résidence").fill("saint-clement-de-riviere")
        famille.get_by_role("button", name="Enregistrer et continuer").click()
        famille.locator("#resume-erreurs").wait_for()
        assert "numéro de téléphone français" in famille.content()
        assert violations_graves(axe, famille) == []
        famille.get_by_label("Votre téléphone").fill("06 12 34 56 78")
        famille.get_by_role("button", name="Enregistrer et continuer").click()

        famille.get_by_role("heading", name="Demande d'accueil : l'enfant").wait_for()
        famille.get_by_label("Prénom de l'enfant").fill("Léa")
        famille.get_by_label("Date de naissance (ou date prévue de l'accouchement)").fill(_jour(-200))
        famille.get_by_role("button", name="Enregistrer et continuer").click()

        famille.get_by_role("heading", name="Demande d'accueil : le besoin d'accueil").wait_for()
        famille.get_by_label("Date de début souhaitée").fill(_jour(60))
        for jour in ("Lundi", "Mardi", "Jeudi"):
            famille.get_by_label(f"{jour} : arrivée").fill("08:30")
            famille.get_by_label(f"{jour} : départ").fill("17:30")
        famille.get_by_label("Samedi : arrivée").fill("06:30")
        famille.get_by_label("Samedi : départ").fill("12:00")
        famille.get_by_label("Mode d'accueil souhaité en premier").select_option("assmat")
        famille.get_by_label("En deuxième choix").select_option("creche")
        famille.get_by_role("button", name="Enregistrer et continuer").click()

        famille.get_by_role("heading", name="Demande d'accueil : votre situation").wait_for()
        famille.get_by_label("Votre situation").select_option("recherche_emploi")
        famille.get_by_label("Le foyer perçoit le RSA").check()
        famille.get_by_label("Numéro d'allocataire CAF (facultatif)").fill("1234567")
        famille.get_by_role("button", name="Enregistrer et continuer").click()

        famille.get_by_role("heading", name="Demande d'accueil : vérification et envoi").wait_for()
        assert "Samedi 06:30–12:00" in famille.content()
        famille.get_by_label("J'accepte que le relais traite ces informations").check()
        famille.get_by_role("button", name="Envoyer ma demande").click()
        famille.get_by_role("heading", name="Votre demande est enregistrée").wait_for()
        demande = Demande.objects.get(parent=parent)
        assert demande.reference in famille.content()

        famille.goto("/demandes/mes-demandes/")
        ligne = famille.get_by_role("row").filter(has_text=demande.reference)
        assert "Léa" in ligne.inner_text()
        assert "Nouvelle" in ligne.inner_text()
        assert violations_graves(axe, famille) == []
        ligne.get_by_role("link", name=demande.reference).click()
        assert "Nouvelle" in _statut_vu_par_la_famille(famille)

        # The relais: from the queue, takes the request, proposes an appointment.
        _se_connecter(relais_page, animatrice.email)
        relais_page.goto("/demandes/file/")
        relais_page.get_by_role("link", name=demande.reference).click()
        relais_page.get_by_role("button", name="Prendre en charge").click()
        relais_page.get_by_text("Demande prise en charge.").wait_for()
        assert "Prise en charge" in _statut_vu_par_la_famille(famille)
        assert "Camille Martin" in famille.content()

        quand = timezone.localtime() + timedelta(days=4)
        rdv = _section(relais_page, "Proposer un rendez-vous")
        rdv.get_by_label("Date").fill(quand.date().isoformat())
        rdv.get_by_label("Heure").fill("10:30")
        rdv.get_by_label("Modalité").select_option("sur_place")
        rdv.get_by_label("Lieu (si sur place)").fill("Relais, 1 place de la Mairie")
        rdv.get_by_role("button", name="Proposer le rendez-vous").click()
        relais_page.get_by_text("Rendez-vous proposé : la famille le reçoit par e-mail.").wait_for()
        assert "Rendez-vous proposé" in _statut_vu_par_la_famille(famille)
        assert "à 10:30 (45 min) – Relais, 1 place de la Mairie" in famille.content()

        # The appointment took place; a proposal, then the solution.
        # Four days later: the outcome can only be noted once the appointment's time has passed.
        demande.rendez_vous.update(debut=timezone.now() - timedelta(hours=1))
        relais_page.reload()
        prevu = _section(relais_page, "Rendez-vous prévu")
        prevu.get_by_label("Le rendez-vous a eu lieu").check()
        prevu.get_by_role("button", name="Noter l'issue").click()
        relais_page.get_by_text("Rendez-vous noté comme réalisé.").wait_for()
        assert "Rendez-vous réalisé" in _statut_vu_par_la_famille(famille)

        proposition = _section(relais_page, "Enregistrer une autre proposition")
        proposition.get_by_label("Mode d'accueil").select_option("creche")
        proposition.get_by_label("Description").fill("Crèche Les Lucioles, trois jours par semaine dès septembre.")
        proposition.get_by_role("button", name="Enregistrer la proposition").click()
        relais_page.get_by_text("Proposition enregistrée : la famille en est informée.").wait_for()
        assert "Proposition(s) faite(s)" in _statut_vu_par_la_famille(famille)
        assert "Crèche / EAJE : Crèche Les Lucioles, trois jours par semaine dès septembre." in famille.content()

        solution = _section(relais_page, "Solution trouvée")
        solution.get_by_label("Sinon, d'où vient la solution").select_option(index=1)
        solution.get_by_label("Mode d'accueil").select_option("creche")
        solution.get_by_label("Description").fill("Place acceptée à la crèche Les Lucioles.")
        solution.get_by_role("button", name="Enregistrer la solution").click()
        relais_page.get_by_text("Solution enregistrée : la famille en est prévenue").wait_for()
        assert "Solution trouvée" in _statut_vu_par_la_famille(famille)
        assert "Crèche / EAJE : Place acceptée à la crèche Les Lucioles." in famille.content()

        famille.goto("/demandes/mes-demandes/")
        assert "Solution trouvée" in famille.get_by_role("row").filter(has_text=demande.reference).inner_text()
        demande.refresh_from_db()
        assert demande.statut == Statut.SOLUTION_TROUVEE
        assert list(demande.historique.values_list("vers", flat=True)) == [
            Statut.NOUVELLE,
            Statut.PRISE_EN_CHARGE,
            Statut.RDV_PROPOSE,
            Statut.RDV_REALISE,
            Statut.PROPOSITIONS_FAITES,
            Statut.SOLUTION_TROUVEE,
        ]
    finally:
        for contexte in contextes:
            contexte.close()


def test_de_la_file_a_la_demande_close_en_six_pages_au_plus(page):
    """The animatrice's working day: from her queue to a closed request, each page she waits for counted."""
    relais = RelaisFactory(nom="RPE des Garrigues")
    animatrice = MembreRelaisFactory(relais=relais).user
    demande = DemandeFactory(relais=relais)
    _se_connecter(page, animatrice.email)
    page.goto("/demandes/file/")
    chargements = []
    page.on("load", lambda p: chargements.append(p.url))

    page.get_by_role("button", name=f"Prendre en charge la demande {demande.reference}").click()
    page.get_by_text("Demande prise en charge.").wait_for()
    rdv = _section(page, "Proposer un rendez-vous")
    rdv.get_by_label("Date").fill(_jour(2))
    rdv.get_by_label("Heure").fill("10:30")
    rdv.get_by_label("Modalité").select_option("telephone")
    rdv.get_by_role("button", name="Proposer le rendez-vous").click()
    page.get_by_text("Rendez-vous proposé : la famille le reçoit par e-mail.").wait_for()
    # Two days later she opens the request again: the outcome is noted once the appointment has passed.
    demande.rendez_vous.update(debut=timezone.now() - timedelta(hours=1))
    page.goto(reverse("demandes:detail", args=[demande.pk]))
    prevu = _section(page, "Rendez-vous prévu")
    prevu.get_by_label("Le rendez-vous a eu lieu").check()
    prevu.get_by_role("button", name="Noter l'issue").click()
    page.get_by_text("Rendez-vous noté comme réalisé.").wait_for()
    proposition = _section(page, "Enregistrer une autre proposition")
    proposition.get_by_label("Mode d'accueil").select_option("creche")
    proposition.get_by_label("Description").fill("Crèche Les Lucioles, trois jours par semaine.")
    proposition.get_by_role("button", name="Enregistrer la proposition").click()
    page.get_by_text("Proposition enregistrée : la famille en est informée.").wait_for()
    solution = _section(page, "Solution trouvée")
    solution.get_by_label("Proposition retenue").select_option(index=1)
    solution.get_by_label("Mode d'accueil").select_option("creche")
    solution.get_by_label("Description").fill("Place acceptée à la crèche Les Lucioles.")
    solution.get_by_role("button", name="Enregistrer la solution").click()
    page.get_by_text("Solution enregistrée : la famille en est prévenue").wait_for()

    demande.refresh_from_db()
    assert demande.statut == Statut.SOLUTION_TROUVEE
    assert demande.proposition_retenue is not None
    assert len(chargements) <= 6, chargements
