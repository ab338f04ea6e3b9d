"""The form pieces every app shares: what a forged or mistyped value becomes."""

import pytest
from django import forms

from comptes.champs import EmailField, identifiant


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
