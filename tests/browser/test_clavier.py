"""A parent files a request with the keyboard alone (RGAA 7.3 and 10.7): every field reached with Tab, typed,
ticked with Space, chosen with the arrows, sent with Enter, an error corrected from the summary's link; the focus
is visible at every stop on the way.
No mouse click and no `fill`: what a person without a mouse can do, nothing more."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from demandes.models import Demande
from tests.browser.test_accessibilite import contexte_connecte
from tests.factories import CommuneFactory, RelaisFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the focused element is called and whether one can see where the focus is: an outline or Bootstrap's
# focus ring (a box-shadow).
FOCUS = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const etiquette = element.labels && element.labels.length ? element.labels[0].innerText : "";
    return {
        nom: (etiquette || element.getAttribute("aria-label") || element.innerText || "").trim(),
        balise: element.tagName.toLowerCase(),
        valeur: element.value ?? "",
        coche: Boolean(element.checked),
        visible: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none",
        // The date or clock button inside Chromium's date and time fields: its own focus ring is drawn by the
        // browser, where getComputedStyle cannot see it (seen on a screenshot: a black square around the icon).
        bouton_du_navigateur: /^(date|time|datetime-local|month)$/.test(element.type) && !element.matches(":focus"),
    };
}"""


class Clavier:
    """Moves through a page with Tab only, remembering every stop where the focus could not be seen."""

    def __init__(self, page):
        self.page = page
        self.focus_invisible = []
        self.heures_sur_12 = None

    def aller_a(self, nom: str, *, tabulations_max: int = 80) -> dict:
        for _ in range(tabulations_max):
            self.page.keyboard.press("Tab")
            focus = self.page.evaluate(FOCUS)
            if not (focus["visible"] or focus["bouton_du_navigateur"]):
                self.focus_invisible.append(f"{self.page.url} : {focus['balise']} « {focus['nom'][:60]} »")
            # Crispy marks required fields with an asterisk after the label.
            if focus["nom"].rstrip("*").strip() == nom:
                return focus
        raise AssertionError(f"« {nom} » n'est pas atteint avec Tab sur {self.page.url}")

    def saisir(self, nom: str, texte: str) -> None:
        self.aller_a(nom)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(texte)

    def saisir_date(self, nom: str, jour) -> None:
        """Chromium's date field has a segment per part, in the order of the browser's language: day first in
        French, month first in the American English of a browser without its translations (as on this machine)."""
        self.aller_a(nom)
        for ordre in ("%d%m%Y", "%m%d%Y"):
            self.page.keyboard.type(jour.strftime(ordre))
            if self.page.evaluate("document.activeElement.value") == jour.isoformat():
                return
            # Each segment is a Tab stop: back from the year to the first one, and type again.
            self.page.keyboard.press("Shift+Tab")
            self.page.keyboard.press("Shift+Tab")
        raise AssertionError(f"« {nom} » : la date {jour:%d/%m/%Y} n'a pas pu être saisie au clavier")

    def saisir_heure(self, nom: str, heure: str) -> None:
        """Hours and minutes, then AM or PM when the browser's language counts hours to twelve (American English).

        Found out on the first field, with a morning hour that both ways of counting read alike."""
        self.aller_a(nom)
        moment = datetime.strptime(heure, "%H:%M")  # noqa: DTZ007 - a time of day, no date
        if self.heures_sur_12 is None:
            self.page.keyboard.type(moment.strftime("%I%M"))
            self.heures_sur_12 = self.page.evaluate("document.activeElement.value") == ""
            if self.heures_sur_12:
                self.page.keyboard.type(moment.strftime("%p")[0])
        elif self.heures_sur_12:
            self.page.keyboard.type(moment.strftime("%I%M%p")[:5])
        else:
            self.page.keyboard.type(moment.strftime("%H%M"))
        assert self.page.evaluate("document.activeElement.value") == heure, nom

    def choisir(self, nom: str, valeur: str) -> None:
        """A closed list: the down arrow moves to the next option, as a keyboard user does."""
        focus = self.aller_a(nom)
        for _ in range(30):
            if focus["valeur"] == valeur:
                return
            self.page.keyboard.press("ArrowDown")
            focus = self.page.evaluate(FOCUS)
        raise AssertionError(f"« {valeur} » introuvable dans la liste « {nom} »")

    def cocher(self, nom: str) -> None:
        self.aller_a(nom)
        self.page.keyboard.press("Space")
        assert self.page.evaluate(FOCUS)["coche"], nom

    def valider(self, bouton: str, titre_suivant: str) -> None:
        self.aller_a(bouton)
        self.page.keyboard.press("Enter")
        self.page.get_by_role("heading", level=1, name=titre_suivant).wait_for()


def test_une_famille_depose_sa_demande_au_clavier_seul(browser, live_server):
    clapiers = CommuneFactory(nom="Clapiers", codes_postaux=["34830"])
    RelaisFactory(nom="RPE des Garrigues", commune_siege=clapiers)
    parent = UserFactory(first_name="Nadia")
    aujourd_hui = timezone.localdate()
    contexte = contexte_connecte(browser, live_server, parent)
    page = contexte.new_page()
    page.set_default_timeout(10_000)
    # Without transitions, the focus ring is there as soon as the focus is: no need to wait for it.
    page.emulate_media(reduced_motion="reduce")
    clavier = Clavier(page)
    try:
        page.goto("/demandes/mes-demandes/")
        clavier.valider("Faire une demande", "Demande d'accueil : vous et votre commune")

        clavier.saisir("Votre téléphone", "12 34")
        clavier.saisir("Code postal", "34830")
        clavier.saisir("Commune de résidence", "Clapiers")
        clavier.valider("Enregistrer et continuer", "Demande d'accueil : vous et votre commune")
        # Sent back: the focus is on the error summary, whose link leads into the field to correct.
        assert page.evaluate("document.activeElement.id") == "resume-erreurs"
        lien = clavier.aller_a(
            "Votre téléphone : Indiquez un numéro de téléphone français à 10 chiffres, par exemple 06 12 34 56 78.",
            tabulations_max=1,
        )
        assert lien["balise"] == "a"
        page.keyboard.press("Enter")
        assert page.evaluate(FOCUS)["nom"].rstrip("*").strip() == "Votre téléphone"
        page.keyboard.press("Control+A")
        page.keyboard.type("06 12 34 56 78")
        clavier.valider("Enregistrer et continuer", "Demande d'accueil : l'enfant")

        clavier.saisir("Prénom de l'enfant", "Léa")
        clavier.saisir_date("Date de naissance (ou date prévue de l'accouchement)", aujourd_hui - timedelta(days=200))
        clavier.cocher("C'est le premier enfant du foyer")
        clavier.valider("Enregistrer et continuer", "Demande d'accueil : le besoin d'accueil")

        clavier.saisir_date("Date de début souhaitée", aujourd_hui + timedelta(days=60))
        clavier.saisir_heure("Lundi : arrivée", "08:30")
        clavier.saisir_heure("Lundi : départ", "17:30")
        clavier.saisir_heure("Mardi : arrivée", "08:30")
        clavier.saisir_heure("Mardi : départ", "17:30")
        clavier.choisir("Mode d'accueil souhaité en premier", "assmat")
        clavier.valider("Enregistrer et continuer", "Demande d'accueil : votre situation")

        clavier.choisir("Votre situation", "emploi")
        clavier.valider("Enregistrer et continuer", "Demande d'accueil : vérification et envoi")

        clavier.cocher("J'accepte que le relais traite ces informations pour répondre à ma demande d'accueil")
        clavier.valider("Envoyer ma demande", "Votre demande est enregistrée")

        demande = Demande.objects.get(parent=parent)
        assert demande.reference in page.get_by_role("main").inner_text()
        assert (demande.enfant_prenom, demande.commune, demande.modes) == ("Léa", clapiers, ["assmat"])
        assert clavier.focus_invisible == [], "\n".join(clavier.focus_invisible)
    finally:
        contexte.close()
