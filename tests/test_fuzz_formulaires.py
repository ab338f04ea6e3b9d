"""Every form of the portal, fed with what Hypothesis can think of: Unicode, control characters, NUL, huge strings,
dates in odd formats, out-of-range numbers, forged choices, missing fields.

Whatever is sent: never a server error (the test client re-raises it), error messages in French and shown on the
page, and nothing saved when the submission is refused. Each example runs in a savepoint rolled back afterwards,
so that every example starts from the same world. Forms are listed in tests/fuzz/cibles.py.
"""

import os
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PASSWORD
from tests.fuzz.cibles import CIBLES
from tests.fuzz.html import formulaires
from tests.fuzz.valeurs import ABSENT, saisie, valeur_de_la_page, valeur_positive
from tests.fuzz.verifications import etat_de_la_base, verifier_reponse
from tests.test_matrice_permissions import MATRICE, ROLES, monde  # noqa: F401 - monde is the fixture

pytestmark = pytest.mark.django_db

# A deeper search, by hand: FUZZ_EXEMPLES=200 (more examples), FUZZ_ALEATOIRE=1 (other examples at each run; CI
# keeps the same ones so that a failure is reproducible).
EXEMPLES_PAR_FORMULAIRE = int(os.environ.get("FUZZ_EXEMPLES", "20"))
DERANDOMISE = not os.environ.get("FUZZ_ALEATOIRE")


class _Annuler(Exception):
    """Rolls the example's savepoint back."""


def _trouver_formulaire(cible, html, url_page, url_action):
    candidats = [
        f
        for f in formulaires(html)
        if (urlsplit(f.action).path or url_page) == url_action and "logout" not in f.action
    ]
    assert len(candidats) > cible.rang, f"{cible.id}: pas de formulaire vers {url_action} sur {url_page}"
    return candidats[cible.rang]


def _donnees(valeurs, bouton):
    donnees = {}
    for nom, valeur in valeurs.items():
        if valeur is ABSENT:
            continue
        donnees[nom] = SimpleUploadedFile("fichier.csv", valeur) if isinstance(valeur, bytes) else valeur
    if bouton:
        donnees[bouton[0]] = bouton[1]
    return donnees


def _chaines(valeurs):
    for valeur in valeurs.values():
        if isinstance(valeur, str):
            yield valeur
        elif isinstance(valeur, list):
            yield from (v for v in valeur if isinstance(v, str))


@pytest.fixture
def sans_limites(settings):
    """Rate limits would answer 429 after a few examples and hide the form behind them."""
    settings.ACCOUNT_RATE_LIMITS = False
    settings.GUICHET_RATE_LIMITS = {
        nom: dict.fromkeys(taux, "100000/m") for nom, taux in settings.GUICHET_RATE_LIMITS.items()
    }
    settings.AXES_ENABLED = False


@pytest.mark.parametrize("cible", CIBLES, ids=lambda c: c.id)
def test_formulaire_resiste_aux_saisies(client, monde, sans_limites, cible):  # noqa: F811
    if cible.preparer:
        cible.preparer(monde)
    user = monde.users[cible.role]
    if user is not None and cible.par_mot_de_passe:
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    elif user is not None:
        client.force_login(user)
    kwargs = cible.kwargs(monde)
    url_page = reverse(cible.page, kwargs=kwargs)
    page = client.get(url_page, follow=True)
    assert page.status_code == 200, f"{cible.id}: la page répond {page.status_code}"
    url_page = page.request["PATH_INFO"]
    action_kwargs = cible.action_kwargs(monde) if cible.action_kwargs else kwargs
    url_action = reverse(cible.action, kwargs=action_kwargs) if cible.action else url_page
    formulaire = cible.formulaire_synthetique(url_page) or _trouver_formulaire(
        cible, page.content.decode(), url_page, url_action
    )
    for nom, valeur in (cible.valides(monde) if cible.valides else {}).items():
        if nom in formulaire.champs and formulaire.champs[nom].genre not in ("checkbox", "radio", "select"):
            formulaire.champs[nom].valeur = valeur
    aujourd_hui = timezone.localdate()
    champs = saisie(formulaire.champs_a_remplir(), aujourd_hui)
    boutons = st.sampled_from(formulaire.boutons) if formulaire.boutons else st.none()
    cookies = SimpleCookie(client.cookies.output(header="", sep="\n"))
    destination = formulaire.action or url_page

    def essayer(valeurs, bouton):
        client.cookies = SimpleCookie(cookies.output(header="", sep="\n"))
        donnees = _donnees(valeurs, bouton)

        def decrire():
            apercu = {
                k: (v[:80] + f"…({len(v)})" if isinstance(v, str) and len(v) > 80 else v) for k, v in donnees.items()
            }
            return f"{cible.id} [{formulaire.methode.upper()} {destination}] {apercu!r}"

        try:
            with transaction.atomic():
                avant = etat_de_la_base()
                envoyer = client.get if formulaire.methode == "get" else client.post
                reponse = envoyer(destination, donnees)
                verifier_reponse(
                    reponse,
                    avant=avant,
                    apres=etat_de_la_base(),
                    valeurs_saisies=list(_chaines(valeurs)),
                    methode=formulaire.methode,
                    decrire=decrire,
                )
                raise _Annuler
        except _Annuler:
            pass

    @settings(
        max_examples=EXEMPLES_PAR_FORMULAIRE,
        deadline=None,
        database=None,
        derandomize=DERANDOMISE,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(valeurs=champs, bouton=boutons)
    def soumettre(valeurs, bouton):
        essayer(valeurs, bouton)

    soumettre()

    # Random search rarely spoils one field while all the others are valid, which is what reaches the database:
    # each field in turn gets a NUL after a valid value, then a valid value repeated to 100,000 characters.
    remplis = formulaire.champs_a_remplir()
    telle_quelle = {champ.nom: valeur_de_la_page(champ, aujourd_hui) for champ in remplis}
    bouton = formulaire.boutons[0] if formulaire.boutons else None
    for champ in remplis:
        valeur = valeur_positive(champ, aujourd_hui)
        if isinstance(valeur, str) and valeur:
            for gatee in (valeur + "\x00", (valeur * (100_000 // len(valeur) + 1))[:100_000]):
                essayer(telle_quelle | {champ.nom: gatee}, bouton)


def test_chaque_formulaire_du_portail_est_dans_la_liste(client, monde):  # noqa: F811
    """Each page of the permission matrix, opened by the first role allowed: every form on it is fuzzed above."""
    couverts = {cible.action or cible.page for cible in CIBLES}
    oublies = set()
    for nom, ligne in MATRICE.items():
        role = next((role for role in ROLES if ligne.attendu[role] == 200), None)
        if role is None:
            continue
        client.logout()
        if monde.users[role] is not None:
            client.force_login(monde.users[role])
        url = reverse(nom, kwargs=ligne.kwargs(monde))
        reponse = client.get(url)
        if "html" not in reponse.get("Content-Type", ""):
            continue
        for formulaire in formulaires(reponse.content.decode()):
            vue = resolve(urlsplit(formulaire.action).path or url).view_name
            if vue != "account_logout" and vue not in couverts:
                oublies.add(f"{vue} (sur la page {nom})")

    assert not oublies, f"formulaires absents de tests/fuzz/cibles.py : {sorted(oublies)}"
