"""axe-core over every public page and the main pages of each role, forms with their errors displayed included.

RGAA asks for no serious or critical violation. Public pages are one test each; a role's pages share one
test, one populated portal and one logged-in browser context (building the portal costs more than a page),
and the failure lists every page of the role with its violations, not only the first.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from tests.assmats.factories import assmat_complete
from tests.demandes.factories import DemandeFactory
from tests.factories import PASSWORD, AgentCafFactory, CommuneFactory, MembreRelaisFactory, RelaisFactory, UserFactory
from tests.indicateurs.scenario import action
from tests.test_matrice_permissions import _convention, _formation, _indicateurs, _offre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMPACTS_GRAVES = {"serious", "critical"}


def violations(axe, page) -> list[str]:
    """Serious and critical violations, one line per rule with the elements it flags."""
    resultats = axe.run(page).response["violations"]
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} → "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in resultats
        if violation["impact"] in IMPACTS_GRAVES
    ]


def _rapport(par_page: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{libelle} :\n" + "\n".join(f"    {ligne}" for ligne in lignes) for libelle, lignes in par_page.items()
    )


# ----------------------------------------------------------------------------------------------------------
# A visit: where to go and, for a form, what to type so that its errors are displayed.


@dataclass(frozen=True)
class Visite:
    libelle: str
    aller: Callable  # (page, monde) -> None


GRAPHIQUE, ERREURS = "svg[role=img]", "#resume-erreurs"


def url(nom: str, kwargs: Callable = lambda m: {}, query: str = "", statut: int = 200, montre: str = "") -> Callable:
    """Opens a named URL; `query` is formatted with the portal (`{m.relais.pk}`)."""

    def aller(page, monde):
        reponse = page.goto(reverse(nom, kwargs=kwargs(monde)) + query.format(m=monde))
        # A wrong id would check the 404 page instead of the one named; a chart or errors not shown, a page
        # without them.
        assert reponse.status == statut, f"{page.url} : {reponse.status}"
        if montre:
            assert page.locator(montre).count() == 1, f"{page.url} : {montre} absent"

    return aller


VIDER_LE_FORMULAIRE = """bouton => bouton.form
    .querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea, select")
    .forEach(champ => { champ.value = ""; })"""


def envoyer_vide(nom: str, kwargs: Callable = lambda m: {}, bouton: str = "Enregistrer") -> Callable:
    """Opens a form and sends it empty: the page comes back with the errors and their summary displayed."""

    def aller(page, monde):
        url(nom, kwargs)(page, monde)
        envoi = page.get_by_role("button", name=bouton, exact=True)
        # Pre-filled forms (a profile, an agrément) are emptied first, or they would simply be saved.
        envoi.evaluate(VIDER_LE_FORMULAIRE)
        envoi.click()
        page.locator("#resume-erreurs").wait_for()

    return aller


def _connexion_mauvais_mot_de_passe(page, monde):
    page.goto(reverse("account_login"))
    page.get_by_label("Courriel").fill(monde.parent.email)
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("alert").wait_for()


def _inscription_mots_de_passe_differents(page, monde):
    page.goto(reverse("account_signup"))
    page.get_by_label("Courriel").fill("nouvelle@exemple.fr")
    page.locator("[name=password1]").fill(PASSWORD)
    page.locator("[name=password2]").fill(PASSWORD + " autre")
    page.get_by_role("button", name="Création de compte").click()
    page.get_by_role("alert").wait_for()


def _reinitialisation_courriel_invalide(page, monde):
    page.goto(reverse("account_reset_password"))
    page.get_by_label("Courriel").fill("pas-un-courriel")
    page.get_by_role("button", name="Réinitialiser mon mot de passe").click()
    page.get_by_role("alert").wait_for()


PUBLIQUES = [
    Visite("accueil", url("portail:accueil")),
    Visite("mentions légales", url("portail:mentions_legales")),
    Visite("données personnelles", url("portail:confidentialite")),
    Visite("déclaration d'accessibilité", url("portail:accessibilite")),
    Visite("annuaire des relais", url("relais:annuaire")),
    Visite("fiche d'un relais", url("relais:fiche", lambda m: {"pk": m.relais.pk})),
    Visite("recherche d'assistant·e maternel·le", url("assmats:recherche")),
    Visite("recherche avec résultats", url("assmats:recherche", query="?commune={m.relais.commune_siege.pk}")),
    Visite("recherche avec erreurs", url("assmats:recherche", query="?commune=0&debut=1900-01-01", montre=ERREURS)),
    Visite(
        "recherche hors territoire", url("assmats:recherche", query="?code_postal=75011", montre="#hors-territoire")
    ),
    Visite("écrire via le relais", url("assmats:ecrire_via_le_relais", lambda m: {"pk": m.assmat.pk})),
    Visite(
        "écrire via le relais avec erreurs",
        envoyer_vide("assmats:ecrire_via_le_relais", lambda m: {"pk": m.assmat.pk}, bouton="Envoyer au relais"),
    ),
    Visite("critères de classement des demandes", url("demandes:criteres")),
    Visite("simulateur", url("tiers_payant:simulateur")),
    Visite(
        "simulateur avec une estimation",
        url(
            "tiers_payant:simulateur",
            query="?ressources=3000&enfants=1&mois=2025-09&naissance=2024-03-15&heures=125&salaire_horaire=4.85",
        ),
    ),
    Visite(
        "simulateur avec erreurs",
        url(
            "tiers_payant:simulateur",
            query="?ressources=beaucoup&enfants=-1&mois=13/2025&naissance=&heures=",
            montre=ERREURS,
        ),
    ),
    Visite("connexion", url("account_login")),
    Visite("connexion avec un mauvais mot de passe", _connexion_mauvais_mot_de_passe),
    Visite("création de compte", url("account_signup")),
    Visite("création de compte, mots de passe différents", _inscription_mots_de_passe_differents),
    Visite("mot de passe oublié", url("account_reset_password")),
    Visite("mot de passe oublié, courriel invalide", _reinitialisation_courriel_invalide),
    Visite("mot de passe oublié, courriel envoyé", url("account_reset_password_done")),
    Visite(
        "lien de réinitialisation invalide",
        url("account_reset_password_from_key", lambda m: {"uidb36": "zz", "key": "faux-jeton"}),
    ),
    Visite("page introuvable (404)", url("relais:fiche", lambda m: {"pk": 0}, statut=404)),
]
# Not pages, so not for axe: the sessions' calendar (formation:calendrier_ics, text/calendar), the CSV exports,
# the PDFs, /healthz (JSON) and the htmx fragment indicateurs:calcul (checked inside the relais indicators page).


@pytest.fixture
def offre_publique():
    relais = RelaisFactory(nom="RPE des Garrigues", commune_siege=CommuneFactory(nom="Clapiers"))
    assmat = assmat_complete(commune=relais.commune_siege, prenom="Sylvie", nom="Martin")
    return SimpleNamespace(relais=relais, parent=UserFactory(), assmat=assmat)


@pytest.mark.parametrize("visite", PUBLIQUES, ids=[slugify(visite.libelle) for visite in PUBLIQUES])
def test_page_publique_sans_violation_grave(page, axe, offre_publique, visite):
    visite.aller(page, offre_publique)

    trouvees = violations(axe, page)

    assert trouvees == [], f"{visite.libelle} ({page.url}) :\n" + "\n".join(trouvees)


def test_la_verification_signale_un_champ_sans_etiquette(page, axe, offre_publique):
    # Guards every test here: an axe that silently checked nothing would let them all pass.
    page.goto(reverse("portail:accueil"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")

    assert [ligne for ligne in violations(axe, page) if ligne.startswith("label (critical)")] != []


def test_la_recherche_publique_montre_des_resultats(page, offre_publique):
    # Guards the visit above: an empty result list would leave the result markup untested.
    url("assmats:recherche", query="?commune={m.relais.commune_siege.pk}")(page, offre_publique)

    assert page.get_by_role("listitem").filter(has_text="Sylvie M.").count() == 1


def test_la_page_compte_bloque_sans_violation_grave(page, axe, offre_publique, settings):
    settings.AXES_FAILURE_LIMIT = 1

    _connexion_mauvais_mot_de_passe(page, offre_publique)

    page.get_by_role("heading", name="Compte temporairement bloqué").wait_for()
    assert violations(axe, page) == []


def test_la_page_trop_de_tentatives_sans_violation_grave(page, axe, offre_publique, settings):
    settings.GUICHET_RATE_LIMITS = settings.GUICHET_RATE_LIMITS | {"recherche": {"ip": "1/m", "compte": "1/m"}}
    page.goto(reverse("assmats:recherche"))

    reponse = page.goto(reverse("assmats:recherche"))

    assert reponse.status == 429
    assert violations(axe, page) == []


# ----------------------------------------------------------------------------------------------------------
# Each role's main pages, in the order a person would open them: the request form's steps follow each other.


def _etape_suivante(titre: str, remplir: Callable = lambda page: None) -> Callable:
    def aller(page, monde):
        remplir(page)
        page.get_by_role("button", name="Enregistrer et continuer").click()
        page.get_by_role("heading", name=f"Demande d'accueil : {titre}").wait_for()

    return aller


def _famille_avec_erreurs(page, monde):
    page.goto(reverse("demandes:deposer"))
    page.get_by_label("Votre téléphone").fill("12 34")
    page.get_by_label("Code postal").fill(monde.relais_x.commune_siege.codes_postaux[0])
    page.get_by_label("Commune de résidence").fill(monde.relais_x.commune_siege.nom)
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.locator("#resume-erreurs").wait_for()


def _jour(jours: int) -> str:
    return (timezone.localdate() + timedelta(days=jours)).isoformat()


def _enfant(page):
    page.get_by_label("Prénom de l'enfant").fill("Léa")
    page.get_by_label("Date de naissance (ou date prévue de l'accouchement)").fill(_jour(-200))


def _besoin(page):
    page.get_by_label("Date de début souhaitée").fill(_jour(60))
    page.get_by_label("Lundi : arrivée").fill("08:30")
    page.get_by_label("Lundi : départ").fill("17:30")
    page.get_by_label("Mode d'accueil souhaité en premier").select_option("assmat")


def _situation(page):
    page.get_by_label("Votre situation").select_option("emploi")


def _envoyer(page, monde):
    page.get_by_label("J'accepte que le relais traite ces informations").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_role("heading", name="Votre demande est enregistrée").wait_for()


def _etape_avec_erreurs(page, monde):
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.locator("#resume-erreurs").wait_for()


def _compte_telephone_invalide(page, monde):
    page.goto(reverse("comptes:profil"))
    page.locator("[name=telephone]").fill("12")
    page.get_by_role("button", name="Enregistrer").click()
    page.locator("#resume-erreurs").wait_for()


DEMANDE_A = {"pk": lambda m: m.demande_a.pk}


def _kw(**valeurs) -> Callable:
    return lambda m: {cle: valeur(m) for cle, valeur in valeurs.items()}


PAGES_PAR_ROLE = {
    "parent": [
        Visite("espace parent", url("portail:espace_parent")),
        Visite("mes demandes", url("demandes:mes_demandes")),
        Visite("détail d'une demande", url("demandes:detail", _kw(**DEMANDE_A))),
        Visite("confirmation d'une demande", url("demandes:confirmation", _kw(**DEMANDE_A))),
        Visite("retirer une demande", url("demandes:retirer", _kw(**DEMANDE_A))),
        Visite("demande, étape famille", url("demandes:deposer")),
        Visite("demande, étape famille avec erreurs", _famille_avec_erreurs),
        Visite(
            "demande, étape enfant",
            _etape_suivante("l'enfant", lambda page: page.get_by_label("Votre téléphone").fill("06 12 34 56 78")),
        ),
        Visite("demande, étape enfant avec erreurs", _etape_avec_erreurs),
        Visite("demande, étape besoin", _etape_suivante("le besoin d'accueil", _enfant)),
        Visite("demande, étape besoin avec erreurs", _etape_avec_erreurs),
        Visite("demande, étape situation", _etape_suivante("votre situation", _besoin)),
        Visite("demande, étape vérification", _etape_suivante("vérification et envoi", _situation)),
        Visite("demande enregistrée", _envoyer),
        Visite("accueil pendant une formation", url("formation:mes_demandes")),
        Visite("conventions de tiers payant", url("tiers_payant:conventions")),
        Visite("une convention", url("tiers_payant:convention", _kw(pk=lambda m: m.convention.pk))),
        Visite("relevés d'une convention", url("tiers_payant:releves", _kw(pk=lambda m: m.convention.pk))),
        Visite("mon compte", url("comptes:profil")),
        Visite("mon compte avec erreurs", _compte_telephone_invalide),
        Visite("changer de mot de passe", url("account_change_password")),
        Visite("adresses électroniques", url("account_email")),
        Visite("double authentification", url("mfa_index")),
        Visite("accès refusé (403)", url("portail:espace_animateur", statut=403)),
        Visite("mes données", url("rgpd:mes_donnees")),
        Visite("corriger mes données", url("rgpd:corriger")),
        Visite("corriger mes données avec erreurs", envoyer_vide("rgpd:corriger", bouton="Enregistrer la correction")),
        Visite("supprimer mon compte", url("rgpd:supprimer_compte")),
    ],
    "assmat": [
        Visite("tableau de bord", url("assmats:tableau")),
        Visite("mon profil", url("assmats:profil")),
        Visite("mon agrément", url("assmats:agrement")),
        Visite("mon agrément avec erreurs", envoyer_vide("assmats:agrement")),
        Visite("enfants accueillis", url("assmats:accueils")),
        Visite("enfants accueillis avec erreurs", envoyer_vide("assmats:accueils")),
        Visite("modifier un accueil", url("assmats:accueil_modifier", _kw(pk=lambda m: m.accueil.pk))),
        Visite("mes disponibilités", url("assmats:disponibilites")),
        Visite("mes disponibilités avec erreurs", envoyer_vide("assmats:disponibilites")),
        Visite("confirmer mes disponibilités", url("assmats:confirmer_disponibilites")),
        Visite("sous-activité", url("assmats:sous_activite")),
        Visite("sous-activité avec erreurs", envoyer_vide("assmats:sous_activite")),
        Visite("mes souhaits de formation", url("formation:mes_souhaits")),
        Visite("sessions proches", url("formation:sessions_proches")),
        Visite("mes formations", url("formation:mes_formations")),
        Visite("enfants concernés", url("formation:enfants_concernes", _kw(pk=lambda m: m.inscription.pk))),
        Visite("propositions reçues", url("demandes:propositions_assmat")),
        Visite("conventions de tiers payant", url("tiers_payant:conventions")),
        Visite("mes données", url("rgpd:mes_donnees")),
        Visite("supprimer mon compte", url("rgpd:supprimer_compte")),
    ],
    "animateur_x": [
        Visite("espace relais", url("portail:espace_animateur")),
        Visite("file des demandes", url("demandes:file")),
        Visite("détail d'une demande", url("demandes:detail", _kw(**DEMANDE_A))),
        Visite("mise en relation", url("demandes:mise_en_relation", _kw(**DEMANDE_A))),
        Visite("besoins non satisfaits", url("demandes:besoins_non_satisfaits", montre=GRAPHIQUE)),
        Visite("assistant·es maternel·les du territoire", url("assmats:liste")),
        Visite("fiche d'une assistante maternelle", url("assmats:fiche", _kw(pk=lambda m: m.fiche_assmat.pk))),
        Visite("suivi des sous-activités", url("assmats:sous_activites")),
        Visite("proposer un entretien", url("assmats:proposer_entretien", _kw(pk=lambda m: m.signalement.pk))),
        Visite("structures", url("assmats:structures")),
        Visite("structures avec erreurs", envoyer_vide("assmats:structures")),
        Visite("fiche d'une structure", url("assmats:structure", _kw(pk=lambda m: m.structure.pk))),
        Visite("relance d'affichage", url("assmats:relance", _kw(pk=lambda m: m.relance.pk))),
        Visite("équipe du relais", url("relais:equipe", _kw(pk=lambda m: m.relais_x.pk))),
        Visite("sessions de formation", url("formation:sessions")),
        Visite("une session", url("formation:session", _kw(pk=lambda m: m.session_x.pk))),
        Visite("nouvelle session", url("formation:session_creer")),
        Visite("nouvelle session avec erreurs", envoyer_vide("formation:session_creer")),
        Visite("organismes de formation", url("formation:organismes")),
        Visite("besoins de formation", url("formation:besoins", montre=GRAPHIQUE)),
        Visite("calendrier des formations", url("formation:calendrier")),
        Visite("accueils pendant une formation", url("formation:demandes")),
        Visite(
            "une demande d'accueil alternatif",
            url("formation:demande_alternative", _kw(pk=lambda m: m.demande_alternative.pk)),
        ),
        Visite("mise en relation pour une formation", url("formation:mise_en_relation")),
        Visite("demande d'accueil alternatif par téléphone", url("formation:demande_telephone")),
        Visite("modifier un organisme", url("formation:organisme_modifier", _kw(pk=lambda m: m.organisme.pk))),
        Visite("modifier une session", url("formation:session_modifier", _kw(pk=lambda m: m.session_x.pk))),
        Visite("préparer une convention", url("tiers_payant:preparer")),
        Visite(
            "préparer une convention avec erreurs",
            envoyer_vide("tiers_payant:preparer", bouton="Enregistrer le brouillon"),
        ),
        Visite("une convention", url("tiers_payant:convention", _kw(pk=lambda m: m.convention.pk))),
        Visite("relevés d'une convention", url("tiers_payant:releves", _kw(pk=lambda m: m.convention.pk))),
        Visite("résilier une convention", url("tiers_payant:resilier", _kw(pk=lambda m: m.convention.pk))),
        Visite("indicateurs du relais", url("indicateurs:relais", _kw(pk=lambda m: m.relais_x.pk), montre=GRAPHIQUE)),
    ],
    "agent_caf": [
        Visite("espace CAF", url("portail:espace_caf")),
        Visite("tableau départemental des indicateurs", url("indicateurs:tableau")),
        Visite(
            "indicateurs d'un relais", url("indicateurs:relais", _kw(pk=lambda m: m.relais_x.pk), montre=GRAPHIQUE)
        ),
        Visite(
            "dossiers d'un indicateur",
            url("indicateurs:detail", lambda m: {"pk": m.relais_x.pk, "code": "m1_demandes_en_ligne"}),
        ),
        Visite("engagement du relais", url("indicateurs:engagement", _kw(pk=lambda m: m.relais_x.pk))),
        Visite("conventions de tiers payant", url("tiers_payant:conventions")),
        Visite("une convention", url("tiers_payant:convention", _kw(pk=lambda m: m.convention.pk))),
        Visite("export des paiements", url("tiers_payant:export_paiements")),
        Visite("résultats du tiers payant", url("tiers_payant:resultats")),
        Visite("fiche d'une assistante maternelle", url("assmats:fiche", _kw(pk=lambda m: m.fiche_assmat.pk))),
        Visite("besoins non satisfaits", url("demandes:besoins_non_satisfaits", montre=GRAPHIQUE)),
        Visite("journal d'audit", url("audit:journal")),
    ],
    "admin": [
        Visite("espace administrateur", url("portail:espace_admin")),
        Visite("import des agréments", url("assmats:import")),
        Visite("journal d'audit", url("audit:journal")),
        Visite("registre des traitements", url("rgpd:registre")),
    ],
}


@pytest.fixture
def monde():
    """The permission matrix's portal: two relais, every role, a request, a convention, a training, indicators."""
    relais_x = RelaisFactory(nom="RPE X")
    relais_y = RelaisFactory(nom="RPE Y", departement=relais_x.departement)
    users = {
        "parent": UserFactory(),
        "assmat": UserFactory(assmat=True),
        "animateur_x": MembreRelaisFactory(relais=relais_x).user,
        "agent_caf": AgentCafFactory(departement=relais_x.departement).user,
        "admin": UserFactory(admin=True),
    }
    # The matrix's helpers name the parent parent_a.
    monde = SimpleNamespace(relais_x=relais_x, relais_y=relais_y, users=users | {"parent_a": users["parent"]})
    # What the public visits ask for: a relais whose commune has a childminder on display, a parent.
    monde.relais, monde.parent = relais_x, users["parent"]
    _offre(monde)
    _convention(monde)
    monde.demande_a = DemandeFactory(relais=relais_x, parent=users["parent"])
    # For the charts: a request handled this month (indicators), another closed without a solution (unmet needs).
    action(monde.demande_a, "rdv_propose", timezone.now())
    DemandeFactory(relais=relais_x, sans_solution=True)
    _formation(monde)
    _indicateurs(monde)
    return monde


def contexte_connecte(browser, live_server, user):
    """A browser context holding the session of `user`, as force_login makes it: no login form on the way."""
    client = Client()
    client.force_login(user)
    contexte = browser.new_context(base_url=live_server.url, locale="fr-FR")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    contexte.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return contexte


@pytest.mark.parametrize("role", PAGES_PAR_ROLE)
def test_pages_principales_du_role_sans_violation_grave(browser, live_server, axe, monde, role):
    contexte = contexte_connecte(browser, live_server, monde.users[role])
    page = contexte.new_page()
    page.set_default_timeout(10_000)
    par_page = {}
    try:
        for visite in PAGES_PAR_ROLE[role]:
            try:
                visite.aller(page, monde)
            except Exception as exc:
                raise AssertionError(f"{role}, visite « {visite.libelle} » ({page.url}) : {exc}") from exc
            if trouvees := violations(axe, page):
                par_page[f"{visite.libelle} ({page.url})"] = trouvees
    finally:
        contexte.close()

    assert par_page == {}, f"{len(par_page)} page(s) de « {role} » avec des violations graves :\n" + _rapport(par_page)


def _debordements(page, visites, monde) -> list[str]:
    debordements = []
    for visite in visites:
        try:
            visite.aller(page, monde)
        except Exception as exc:
            raise AssertionError(f"visite « {visite.libelle} » ({page.url}) : {exc}") from exc
        largeur, visible = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if largeur > visible:
            debordements.append(f"{visite.libelle} ({page.url}) : {largeur} px")
    return debordements


def test_les_pages_des_familles_et_des_assmats_tiennent_dans_320_pixels(browser, live_server, monde, offre_publique):
    """RGAA 10.11: read on a phone, or zoomed to 400 %, without scrolling sideways. Families and childminders
    use phones; staff pages are left out, their data tables being the criterion's exception."""
    ecran = {"width": 320, "height": 640}
    debordements = []
    anonyme = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=ecran)
    contextes = [anonyme]
    try:
        debordements += _debordements(anonyme.new_page(), PUBLIQUES, offre_publique)
        for role in ("parent", "assmat"):
            contextes.append(contexte_connecte(browser, live_server, monde.users[role]))
            page = contextes[-1].new_page()
            page.set_viewport_size(ecran)
            debordements += _debordements(page, PAGES_PAR_ROLE[role], monde)
    finally:
        for contexte in contextes:
            contexte.close()

    assert debordements == [], "Défilement horizontal à 320 px :\n" + "\n".join(debordements)
