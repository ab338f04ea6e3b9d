"""Name, e-mail, phone and postcode fields tell the browser what they hold (RGAA 11.13, WCAG 1.3.5).

A field about the person typing declares its `autocomplete` purpose; a field about someone else declares
`autocomplete="off"`, so that the browser does not offer the typist's own details; both get the keyboard
of their content (`inputmode`). The family's request form (demandes/forms.py) has its own test.
"""

import inspect

import pytest
from django import forms

from assmats import forms as assmats_forms
from assmats.models import AssistantMaternel
from comptes.models import User
from comptes.saisie import INPUTMODES, genre_du_champ
from formation import forms as formation_forms
from relais.models import Commune, Relais
from rgpd import forms as rgpd_forms
from tests.assmats.factories import AccueilFactory
from tests.factories import UserFactory
from tiers_payant import forms as tiers_payant_forms

pytestmark = pytest.mark.django_db


def _formulaires():
    """(form, does it ask about the person typing?) for every form of these apps with a person field."""
    animatrice = UserFactory(animateur=True)
    return {
        "assmats.ProfilForm": (assmats_forms.ProfilForm(), True),
        "assmats.RechercheForm": (assmats_forms.RechercheForm(), True),
        "assmats.ContactRelaisForm": (assmats_forms.ContactRelaisForm(), True),
        "assmats.StructureForm": (assmats_forms.StructureForm(), False),
        "formation.OrganismeForm": (formation_forms.OrganismeForm(), False),
        "formation.DemandeParentForm": (formation_forms.DemandeParentForm(), True),
        "formation.DemandeTelephoneForm": (formation_forms.DemandeTelephoneForm(user=animatrice), False),
        "formation.EnfantsConcernesForm": (
            formation_forms.EnfantsConcernesForm(accueils=[AccueilFactory()], declares={}),
            False,
        ),
        "tiers_payant.ConventionForm": (
            tiers_payant_forms.ConventionForm(
                relais=Relais.objects.none(),
                communes=Commune.objects.none(),
                assmats=AssistantMaternel.objects.none(),
                parents=User.objects.none(),
            ),
            False,
        ),
        "rgpd.CorrectionForm": (rgpd_forms.CorrectionForm(), True),
    }


# Fields whose widget declares a purpose other than its name's: « Votre nom » asks for the whole name.
DECLARES = {"assmats.ContactRelaisForm.nom": "name"}


def _champs_de_personne(form):
    for nom, champ in form.fields.items():
        genre = genre_du_champ(nom)
        if genre and isinstance(champ.widget, forms.TextInput | forms.EmailInput):
            yield nom, champ.widget, genre


def test_chaque_champ_de_personne_declare_son_usage_et_son_clavier():
    manquants = []
    for libelle, (form, de_soi) in _formulaires().items():
        for nom, widget, genre in _champs_de_personne(form):
            genre = DECLARES.get(f"{libelle}.{nom}", genre)
            attendu = {"autocomplete": genre if de_soi and genre != "siret" else "off"}
            if genre in INPUTMODES:
                attendu["inputmode"] = INPUTMODES[genre]
            obtenu = {cle: widget.attrs.get(cle) for cle in attendu}
            if obtenu != attendu:
                manquants.append(f"{libelle}.{nom}: {obtenu} au lieu de {attendu}")
    assert manquants == []


def test_les_champs_vises_sont_bien_trouves():
    """The walk above finds the fields it is meant to check (a renamed field would silently drop out)."""
    formulaires = _formulaires()
    trouves = {
        f"{libelle}.{nom}" for libelle, (form, _) in formulaires.items() for nom, _, _ in _champs_de_personne(form)
    }

    for attendu in (
        "assmats.ProfilForm.prenom",
        "assmats.ProfilForm.telephone",
        "assmats.RechercheForm.code_postal",
        "assmats.ContactRelaisForm.email",
        "formation.OrganismeForm.siret",
        "formation.DemandeTelephoneForm.email_parent",
        "tiers_payant.ConventionForm.parent_email",
        "rgpd.CorrectionForm.first_name",
    ):
        assert attendu in trouves


def test_un_telephone_s_affiche_en_champ_tel_et_le_prenom_d_un_enfant_reste_libre():
    profil = assmats_forms.ProfilForm()
    accueil = assmats_forms.AccueilForm()

    assert 'type="tel"' in str(profil["telephone"])
    assert 'autocomplete="tel"' in str(profil["telephone"])
    assert "autocomplete" not in accueil.fields["prenom_enfant"].widget.attrs


@pytest.mark.parametrize("module", [assmats_forms, formation_forms, tiers_payant_forms, rgpd_forms])
def test_aucun_formulaire_a_champ_de_personne_n_echappe_au_test(module):
    testes = {libelle.split(".")[1] for libelle in _formulaires()}
    for nom, classe in inspect.getmembers(module, inspect.isclass):
        if issubclass(classe, forms.BaseForm) and classe.__module__ == module.__name__:
            if any(genre_du_champ(champ) for champ in classe.base_fields) or nom == "EnfantsConcernesForm":
                assert nom in testes, f"{module.__name__}.{nom} a des champs de personne non vérifiés"
