from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from relais.models import Commune, Departement, Epci

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def test_import_csv_charge_les_communes_du_departement_avec_coordonnees():
    call_command("import_communes", "34", csv=DATA / "communes.csv", nom="Hérault")

    assert sorted(Commune.objects.values_list("nom", flat=True)) == ["Castelnau-le-Lez", "Lodève", "Montpellier"]
    montpellier = Commune.objects.get(code_insee="34172")
    assert montpellier.codes_postaux == ["34000", "34070", "34080", "34090"]
    assert (montpellier.latitude, montpellier.longitude) == (Decimal("43.61092"), Decimal("3.87723"))
    assert montpellier.epci.nom == "Montpellier Méditerranée Métropole"
    assert Commune.objects.get(code_insee="34142").latitude is None


def test_un_second_import_met_a_jour_sans_dupliquer():
    call_command("import_communes", "34", csv=DATA / "communes.csv", nom="Hérault")
    call_command("import_communes", "34", csv=DATA / "communes.csv", nom="Hérault")

    assert Commune.objects.count() == 3
    assert Epci.objects.count() == 2


def test_une_ligne_invalide_n_importe_rien(tmp_path):
    fichier = tmp_path / "communes.csv"
    fichier.write_text(
        "code_insee,nom,departement,codes_postaux,population,epci_code,epci_nom,latitude,longitude\n"
        "34172,Montpellier,34,34000,310240,,,43.6,3.8\n"
        "34057,Castelnau-le-Lez,34,34170,beaucoup,,,,\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="Ligne 3 : population « beaucoup » n'est pas un entier"):
        call_command("import_communes", "34", csv=fichier, nom="Hérault")
    assert not Commune.objects.exists()


def test_un_fichier_sans_les_colonnes_attendues_est_refuse(tmp_path):
    fichier = tmp_path / "communes.csv"
    fichier.write_text("insee;libelle\n34172;Montpellier\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Colonnes manquantes"):
        call_command("import_communes", "34", csv=fichier)


def test_import_depuis_le_paquet_npm_de_l_etalab():
    call_command("import_communes", "34")

    herault = Departement.objects.get(code="34")
    assert herault.nom == "Hérault"
    assert Commune.objects.filter(departement=herault).count() > 300
    assert Commune.objects.get(code_insee="34172").epci.nom.startswith("Montpellier")
