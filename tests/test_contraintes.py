"""No database constraint name ever reaches a user: every constraint of ours speaks French.

Django shows a constraint's `violation_error_message` when a model form validates it (and in the admin); the
default one is « Constraint “demande_code_postal_format” is violated. », which tells a family nothing.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError

from relais.models import Commune, Relais
from tests.factories import DepartementFactory, RelaisFactory

NOS_APPS = {config.label for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR}


def nos_contraintes():
    for model in apps.get_models():
        if model._meta.app_label in NOS_APPS:
            for contrainte in model._meta.constraints:
                yield pytest.param(model, contrainte, id=f"{model._meta.label}.{contrainte.name}")


def test_the_walk_covers_every_app_of_ours():
    apps_avec_contraintes = {model._meta.app_label for model, _ in (p.values for p in nos_contraintes())}

    assert {"demandes", "assmats", "tiers_payant", "formation", "indicateurs", "relais", "comptes"} <= (
        apps_avec_contraintes
    )


@pytest.mark.parametrize(("model", "contrainte"), list(nos_contraintes()))
def test_every_constraint_has_a_french_message(model, contrainte):
    message = str(contrainte.violation_error_message)

    assert message != str(contrainte.default_violation_error_message)
    assert contrainte.name not in message
    assert "violated" not in message
    assert "already exists" not in message
    assert message[0].isupper()
    assert message.rstrip().endswith((".", "»", ")"))


@pytest.mark.django_db
def test_a_violated_constraint_reads_as_its_french_message():
    commune = Commune(nom="Béziers", code_insee="34-32", departement=DepartementFactory(), latitude=43.3)

    with pytest.raises(ValidationError) as erreur:
        commune.validate_constraints()

    messages = erreur.value.messages
    assert "Le code INSEE doit compter 5 caractères (par exemple 75056 ou 2A004)." in messages
    assert "Indiquez la latitude et la longitude ensemble, avec des valeurs valides, ou aucune des deux." in messages
    assert not any("commune_" in message for message in messages)


@pytest.mark.django_db
def test_a_violated_unique_constraint_reads_as_its_french_message():
    existant = RelaisFactory()
    doublon = Relais(nom=existant.nom, departement=existant.departement)

    with pytest.raises(ValidationError) as erreur:
        doublon.validate_constraints()

    assert erreur.value.messages == ["Un relais porte déjà ce nom dans ce département."]
