"""The form pieces every app shares: what a forged or mistyped value becomes."""

import pytest
from django import forms

from comptes.champs import ChiffresField, EmailField, identifiant, normaliser_telephone, telephone_lisible
from comptes.templatetags.telephone import telephone


@pytest.mark.parametrize(
    ("saisie", "attendu"),
    [("42", 42), ("007", 7), ("", None), (None, None), ("abc", None), ("1.5", None), ("-1", None), ("²", None),
     ("١٢", None), ("9" * 19, None), ("1" * 5000, None)],
)  # fmt: skip
def test_un_identifiant_n_est_lu_que_s_il_est_fait_de_chiffres_plausibles(saisie, attendu):
    assert identifiant(saisie) == attendu


def test_une_adresse_plus_longue_que_la_colonne_est_refusee_en_francais():
    champ = EmailField()

    with pytest.raises(forms.ValidationError) as erreur:
        champ.clean("a" * 250 + "@exemple.fr")

    assert "au plus 254 caractères" in " ".join(erreur.value.messages)


def test_une_adresse_a_laquelle_on_ne_peut_pas_ecrire_est_refusee_en_francais():
    # Django's validator accepts this domain; IDNA, which sending needs, refuses the right-to-left override.
    with pytest.raises(forms.ValidationError) as erreur:
        EmailField().clean("camille@exemple.fr\u202e")

    assert erreur.value.messages == ["Saisissez une adresse e-mail valide."]


@pytest.mark.parametrize(
    ("saisie", "attendu"),
    [("３４５００", "34500"), ("٣٤٥٠٠", "34500"), ("۳۴۵۰۰", "34500"), ("३४५००", "34500"), ("34 500", "34 500")],
)
def test_des_chiffres_tapes_sur_un_autre_clavier_sont_lus_comme_des_chiffres(saisie, attendu):
    assert ChiffresField().clean(saisie) == attendu


def test_un_caractere_qui_n_est_pas_un_chiffre_est_refuse_par_son_nom():
    with pytest.raises(forms.ValidationError) as erreur:
        ChiffresField().clean("34é00")

    assert erreur.value.messages == ["Le caractère « é » n'est pas accepté."]


def test_un_telephone_en_chiffres_pleine_chasse_est_enregistre_en_chiffres():
    assert normaliser_telephone("０４ ６７ １２ ３４ ５６") == "0467123456"


@pytest.mark.parametrize(
    ("enregistre", "lu"),
    [("0467123456", "04 67 12 34 56"), ("04.67.12.34.56", "04 67 12 34 56"), ("+33 4 67 12 34 56", "04 67 12 34 56"),
     ("12345", "12345")],
)  # fmt: skip
def test_un_telephone_s_ecrit_par_paires_de_chiffres(enregistre, lu):
    assert telephone_lisible(enregistre) == lu


def test_un_telephone_affiche_est_un_lien_qui_l_appelle():
    assert telephone("0467123456") == '<a href="tel:+33467123456">04 67 12 34 56</a>'


def test_un_numero_qui_n_est_pas_francais_est_affiche_tel_quel_sans_lien():
    assert telephone("<b>123</b>") == "&lt;b&gt;123&lt;/b&gt;"


@pytest.mark.parametrize("valeur", [None, "2"])
def test_une_longue_liste_s_affiche_comme_la_liste_de_django(valeur):
    from django.test.html import parse_html

    from comptes.champs import ListeLongue

    choix = [("", "---------"), ("1", "Anne & Cie <MAM>"), ("2", "Léa Martin – Béziers")]
    attrs = {"id": "id_assmat", "class": "form-select", "required": True, "aria-describedby": "aide"}

    rapide = ListeLongue(choices=choix).render("assmat", valeur, attrs)
    django = forms.Select(choices=choix).render("assmat", valeur, attrs)

    assert parse_html(rapide) == parse_html(django)
    assert "&lt;MAM&gt;" in rapide


@pytest.mark.parametrize("valeur", ["", "b", "fermee"])
def test_une_longue_liste_garde_les_groupes_d_options_de_django(valeur):
    from django.test.html import parse_html

    from comptes.champs import ListeLongue

    choix = [
        ("", "Toutes les ouvertes"),
        ("Ouvertes", [("a", "Nouvelle"), ("b", "Prise en charge")]),
        ("closes", "Toutes les closes"),
        ("Closes <anciennes>", [("fermee", "Retirée par la famille")]),
    ]
    attrs = {"id": "id_statut"}

    rapide = ListeLongue(choices=choix).render("statut", valeur, attrs)
    django = forms.Select(choices=choix).render("statut", valeur, attrs)

    assert parse_html(rapide) == parse_html(django)
    assert 'label="Closes &lt;anciennes&gt;"' in rapide


@pytest.mark.django_db
@pytest.mark.parametrize("vide", [None, "Choisissez une commune"])
def test_une_longue_liste_d_objets_se_lit_en_une_requete_et_dit_obligatoire_comme_django(
    vide, django_assert_num_queries
):
    from django.test.html import parse_html

    from comptes.champs import ListeLongue
    from relais.models import Commune
    from tests.factories import CommuneFactory

    CommuneFactory.create_batch(3)

    class Rapide(forms.Form):
        commune = forms.ModelChoiceField(queryset=Commune.objects.order_by("pk"), empty_label=vide, widget=ListeLongue)

    class Django(forms.Form):
        commune = forms.ModelChoiceField(queryset=Commune.objects.order_by("pk"), empty_label=vide)

    with django_assert_num_queries(1):
        rapide = str(Rapide()["commune"])
    django = str(Django()["commune"])

    assert parse_html(rapide) == parse_html(django)
    assert ("required" in rapide) == (vide is not None)
