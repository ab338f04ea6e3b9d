"""Property-based tests of the family form: for each field of each step, the other fields being valid,
no input gives a server error, and nothing invalid is ever saved.

Each example starts from a clean slate (the parent's draft and requests are deleted), stores the earlier steps,
posts the step with the generated value, and, when the step is accepted, completes and sends the request. After
each example: at most one request, and a request that exists passes every rule of the form again.
"""

import operator
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courriels.models import Email
from demandes import forms, services
from demandes.models import BrouillonDemande, Demande, HistoriqueDemande, sujet_des_emails
from tests.demandes.test_formulaire import etapes_valides

pytestmark = pytest.mark.django_db

# No surrogates: they cannot be encoded in a request body at all, so no browser can send them.
CARACTERES = st.characters(exclude_categories=("Cs",))
TEXTES = st.text(CARACTERES, max_size=200)
ENORMES = st.builds(
    operator.mul, st.sampled_from(["a", "é", "7", "😀", " ", "\x00", "Ǆ", "ß"]), st.integers(2_000, 60_000)
)
NOMBRES = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.decimals()).map(str)
DATES = st.dates(min_value=date(1, 1, 1)).flatmap(
    lambda jour: st.sampled_from([jour.isoformat(), f"{jour.day:02d}/{jour.month:02d}/{jour.year}", f"{jour:%Y-%m}"])
)
# 41 fields: about 50 s on 2 shared cores.
EXEMPLES = 6
HEURES = st.times().flatmap(lambda t: st.sampled_from([t.isoformat(), f"{t:%H:%M}", f"{t.hour}h{t.minute:02d}"]))


def _choix(champ) -> list[str]:
    return [str(valeur) for valeur, _ in getattr(champ, "choices", [])]


def _champs():
    """(step, field, strategy) for every field of every step, the send step included."""
    cas = []
    etapes = {nom: classe() for nom, classe in forms.ETAPES.items()} | {"envoi": forms.EnvoiForm()}
    for etape, form in etapes.items():
        for nom, champ in form.fields.items():
            valeurs = st.one_of(
                st.none(),  # the field is not sent at all
                st.just(""),
                st.just("on"),
                TEXTES,
                ENORMES,
                NOMBRES,
                DATES,
                HEURES,
                st.sampled_from(_choix(champ) or [""]),
                st.uuids().map(str),
            )
            cas.append(pytest.param(etape, nom, valeurs, id=f"{etape}-{nom}"))
    return cas


def _repartir_de_zero(parent):
    for pk in Demande.objects.filter(parent=parent).values_list("pk", flat=True):
        Email.objects.filter(sujet_de=sujet_des_emails(pk)).delete()
    Demande.objects.filter(parent=parent).delete()
    BrouillonDemande.objects.filter(parent=parent).delete()


def _verifier_les_invariants(parent):
    """Whatever was posted: at most one request, and it passes the model's and the form's rules again."""
    demandes = list(Demande.objects.filter(parent=parent).select_related("commune", "relais"))
    assert len(demandes) <= 1
    for demande in demandes:
        demande.full_clean()
        donnees, en_erreur = forms.valider_brouillon(forms.brutes_de_la_demande(demande), parent)
        assert en_erreur is None, en_erreur
        assert donnees.commune_id == demande.commune_id
        assert demande.commune.territoire.relais_id == demande.relais_id
        assert HistoriqueDemande.objects.filter(demande=demande).count() == 1


@pytest.mark.parametrize(("etape", "champ", "valeurs"), _champs())
def test_aucune_saisie_ne_donne_d_erreur_serveur_ni_n_enregistre_rien_d_invalide(
    client, parent, relais, etape, champ, valeurs
):
    client.force_login(parent)
    commune = relais.commune_siege
    url = reverse("demandes:etape", args=[etape])

    @settings(
        max_examples=EXEMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(valeur=valeurs)
    def essayer(valeur):
        _repartir_de_zero(parent)
        etapes = etapes_valides(commune)
        rang = forms.ORDRE.index(etape)
        for precedente in forms.ORDRE[:rang]:
            services.enregistrer_etape(parent=parent, etape=precedente, donnees=etapes[precedente])
        if etape == "envoi":
            donnees = {"consentement": "on", "jeton": str(BrouillonDemande.objects.get(parent=parent).jeton)}
        else:
            donnees = dict(etapes[etape])
        if valeur is None:
            donnees.pop(champ, None)
        else:
            donnees[champ] = valeur
        avant = BrouillonDemande.objects.filter(parent=parent).values_list("donnees", flat=True).first()

        reponse = client.post(url, donnees)

        assert reponse.status_code in (200, 302)
        if etape != "envoi" and reponse.status_code == 200:
            # Refused: the draft is as it was and nothing is created.
            assert BrouillonDemande.objects.filter(parent=parent).values_list("donnees", flat=True).first() == avant
            assert not Demande.objects.filter(parent=parent).exists()
        elif etape != "envoi":
            for suivante in forms.ORDRE[rang + 1 : -1]:
                services.enregistrer_etape(parent=parent, etape=suivante, donnees=etapes[suivante])
            jeton = BrouillonDemande.objects.get(parent=parent).jeton
            envoi = client.post(reverse("demandes:etape", args=["envoi"]), {"consentement": "on", "jeton": jeton})
            assert envoi.status_code == 302
        if demande := Demande.objects.filter(parent=parent).first():
            # What was saved is shown without error to the family.
            assert client.get(reverse("demandes:detail", args=[demande.pk])).status_code == 200
            assert client.get(reverse("demandes:mes_demandes")).status_code == 200
        _verifier_les_invariants(parent)

    essayer()
