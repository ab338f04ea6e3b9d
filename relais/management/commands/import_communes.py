from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relais import communes_source
from relais.models import Departement
from relais.services import importer_communes


class Command(BaseCommand):
    help = "Importe les communes d'un département (paquet npm @etalab/decoupage-administratif ou CSV)."

    def add_arguments(self, parser):
        parser.add_argument("departement", help="code du département, par exemple 34")
        parser.add_argument("--csv", type=Path, help="fichier CSV (mêmes colonnes, plus latitude et longitude)")
        parser.add_argument("--nom", help="nom du département s'il n'est pas encore connu")

    def handle(self, *args, departement, csv=None, nom=None, **options):
        try:
            nom = nom or communes_source.nom_du_departement(departement) or departement
            if csv is not None:
                if not csv.exists():
                    raise CommandError(f"Fichier introuvable : {csv}")
                communes = list(communes_source.communes_du_csv(csv, departement))
            else:
                communes = communes_source.communes_du_departement(departement)
        except communes_source.SourceInvalide as exc:
            raise CommandError(str(exc)) from exc
        dept, _ = Departement.objects.get_or_create(code=departement, defaults={"nom": nom})
        bilan = importer_communes(departement=dept, communes=communes)
        self.stdout.write(
            self.style.SUCCESS(f"{dept} : {bilan.creees} communes créées, {bilan.mises_a_jour} mises à jour.")
        )
