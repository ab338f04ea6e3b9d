"""The family's request form in a real Chromium: nothing lost when filing again, real schedules, contradictions
said beside their field, every length limit seen before typing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demandes import services
from demandes.models import Demande
from tests.browser.test_offre import _se_connecter
from tests.demandes.conftest import donnees_valides
from tests.factories import CommuneFactory, RelaisFactory, UserFactory
from tests.navigateur import violations_graves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OBLIGATOIRES = "Les champs marqués d'un astérisque (*) sont obligatoires."


def _jour(jours: int) -> str:
    return (timezone.localdate() + timedelta(days=jours)).isoformat()


def _continuer(page, titre_suivant: str):
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name=f"Demande d'accueil : {titre_suivant}").wait_for()


def _relais():
    siege = CommuneFactory(nom="Saint-Clément-de-Rivière", code_insee="34247")
    return RelaisFactory(nom="RPE des Garrigues", commune_siege=siege)


def _premieres_etapes(page, commune, prenom="Léa", naissance=-200):
    page.goto("/demandes/mes-demandes/")
    page.get_by_role("link", name="Faire une demande").click()
    assert OBLIGATOIRES in page.content()
    page.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    page.get_by_label("Code postal").fill(commune.codes_postaux[0])
    page.get_by_label("Commune de résidence").fill(commune.nom)
    _continuer(page, "l'enfant")
    page.get_by_label("Prénom de l'enfant").fill(prenom)
    page.get_by_label("Date de naissance (ou date prévue de l'accouchement)").fill(_jour(naissance))
    _continuer(page, "le besoin d'accueil")


def test_refaire_la_demande_repart_de_la_premiere_garde_puis_retire_le_second_parent(browser, live_server, axe):
    relais = _relais()
    parent = UserFactory(first_name="Nadia", last_name="Benali")
    karim = UserFactory(first_name="Karim", last_name="Benali", email="karim@exemple.fr")
    demande = services.deposer(
        parent=parent,
        donnees=donnees_valides(
            relais.commune_siege,
            second_responsable_prenom="Karim",
            second_responsable_nom="Benali",
            second_responsable_email="karim@exemple.fr",
        ),
    )
    lien = f"/demandes/invitation/{services.jeton_invitation(demande)}/"
    contextes = [browser.new_context(base_url=live_server.url, locale="fr-FR") for _ in range(2)]
    famille, second = (contexte.new_page() for contexte in contextes)
    for page in (famille, second):
        page.set_default_timeout(10_000)
    try:
        _se_connecter(famille, parent.email)
        _premieres_etapes(famille, relais.commune_siege)

        # The open request's answers come back, and its second parent with them.
        assert "Le second parent (karim@exemple.fr) y reste associé" in famille.content()
        assert famille.get_by_label("Lundi : arrivée").input_value() == "08:30"
        assert violations_graves(axe, famille) == []

        # Every length limit is seen before typing, and counted live.
        famille.goto("/demandes/deposer/situation/")
        commentaire = famille.get_by_label("Commentaire")
        compteur = famille.locator("#id_commentaire-compteur")
        assert compteur.inner_text() == "0 caractère sur 2000"
        commentaire.fill("Horaires de nuit à l'hôpital.")
        assert compteur.inner_text() == "29 caractères sur 2000"
        famille.locator("[aria-live='polite']").filter(has_text="29 caractères sur 2000").wait_for(state="attached")
        assert violations_graves(axe, famille) == []

        # The parent removes the second parent on the first step and sends the changes.
        famille.goto("/demandes/deposer/famille/")
        assert famille.get_by_label("E-mail du second parent").input_value() == "karim@exemple.fr"
        for champ in ("Prénom du second parent", "Nom du second parent", "E-mail du second parent"):
            famille.get_by_label(champ, exact=True).fill("")
        _continuer(famille, "l'enfant")
        famille.goto("/demandes/deposer/envoi/")
        famille.get_by_label("J'accepte que le relais traite ces informations").check()
        famille.get_by_role("button", name="Enregistrer les modifications").click()
        famille.get_by_text(f"Votre demande {demande.reference} est mise à jour.").wait_for()
        assert Demande.objects.get().second_responsable_email == ""

        # Karim follows his old link: a page that says the invitation was withdrawn.
        _se_connecter(second, karim.email)
        second.goto(lien)
        second.get_by_role("heading", name="Invitation retirée").wait_for()
        assert violations_graves(axe, second) == []
    finally:
        for contexte in contextes:
            contexte.close()


def test_une_nuit_du_vendredi_au_samedi_et_les_contradictions_dites_a_cote_du_champ(page, live_server, axe):
    relais = _relais()
    parent = UserFactory(first_name="Inès", last_name="Morel")
    _se_connecter(page, parent.email)
    _premieres_etapes(page, relais.commune_siege, prenom="Sami")

    page.get_by_label("Date de début souhaitée").fill(_jour(30))
    page.get_by_label("Vendredi : arrivée").fill("21:00")
    page.get_by_label("Vendredi : départ").fill("06:00")
    page.get_by_label("Mercredi : arrivée").fill("08:00")
    page.get_by_label("Mercredi : départ").fill("08:00")
    page.get_by_label("Mode d'accueil souhaité en premier").select_option("assmat")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.locator("#resume-erreurs").wait_for()
    assert "Mercredi : 24 h d'accueil d'affilée" in page.locator("#id_jour_2_fin").locator("xpath=..").inner_text()
    assert "Plus tôt que l'arrivée : le lendemain." in page.content()
    assert violations_graves(axe, page) == []
    page.get_by_label("Mercredi : départ").fill("17:00")
    _continuer(page, "votre situation")

    page.get_by_label("Je suis seul·e à élever l'enfant").check()
    page.get_by_label("Votre situation").select_option("emploi")
    page.get_by_label("Quotient familial CAF (€)").fill("650")
    page.get_by_label("Tranche de quotient familial").select_option("plus_1200")
    page.get_by_label("Motif de l'urgence").select_option("entretien")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.locator("#resume-erreurs").wait_for()
    texte = page.content()
    assert "Un quotient familial de 650 € est dans la tranche « Moins de 700 € »" in texte
    assert "motif d&#x27;urgence sans cocher" in texte or "motif d'urgence sans cocher" in texte
    assert violations_graves(axe, page) == []
    page.get_by_label("Tranche de quotient familial").select_option("")
    page.get_by_label("Motif de l'urgence").select_option("")
    _continuer(page, "vérification et envoi")

    assert "Vendredi 21:00 – samedi 06:00" in page.content()
    page.get_by_label("J'accepte que le relais traite ces informations").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_role("heading", name="Votre demande est enregistrée").wait_for()
    demande = Demande.objects.get(parent=parent)
    assert demande.horaires_atypiques == ["tot", "tard", "samedi", "nuit"]
