"""A single-line column holds one line, as a browser's text input would have sent it."""

import pytest

from comptes.texte import une_ligne
from tests.factories import RelaisFactory, UserFactory

INJECTION = "Paula\r\nBcc: pirate@exemple.invalid\r\n\r\nCliquez ici"


@pytest.mark.parametrize(
    ("saisi", "garde"),
    [
        (INJECTION, "Paula Bcc: pirate@exemple.invalid Cliquez ici"),
        ("Léa \n Marie", "Léa Marie"),
        ("A\tB\x0bC\x0cD\x85E\u2028F\u2029G\x00H", "A B C D E F G H"),
        ("\r\nLéa\n", "Léa"),
        ("Jean-Pierre  d'Arc", "Jean-Pierre  d'Arc"),
    ],
)
def test_each_run_of_line_breaks_and_control_characters_becomes_one_space(saisi, garde):
    assert une_ligne(saisi) == garde


@pytest.mark.django_db
def test_a_name_is_stored_on_one_line_whoever_writes_it():
    parent = UserFactory(first_name=INJECTION, last_name="Dupont\nTo: x@exemple.invalid")
    relais = RelaisFactory(nom="RPE\r\nReply-To: pirate@exemple.invalid")
    parent.refresh_from_db()
    relais.refresh_from_db()

    assert parent.first_name == "Paula Bcc: pirate@exemple.invalid Cliquez ici"
    assert parent.last_name == "Dupont To: x@exemple.invalid"
    assert relais.nom == "RPE Reply-To: pirate@exemple.invalid"


@pytest.mark.django_db
def test_a_multi_line_text_keeps_its_lines():
    from tests.demandes.factories import DemandeFactory

    demande = DemandeFactory(commentaire="Première ligne\r\nSeconde ligne")
    demande.refresh_from_db()

    assert demande.commentaire == "Première ligne\r\nSeconde ligne"
