import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from indicateurs import services
from relais.models import Relais


class Command(BaseCommand):
    help = "Recalcule les indicateurs de la circulaire C 2017-003 (tous les relais, année en cours par défaut)."

    def add_arguments(self, parser):
        parser.add_argument("--relais", type=int, help="identifiant d'un relais")
        parser.add_argument("--annee", type=int, help="année civile (par défaut : l'année en cours)")

    def handle(self, *args, relais=None, annee=None, **options):
        annee = annee or timezone.localdate().year
        relais_ids = list(Relais.objects.order_by("pk").values_list("pk", flat=True))
        if relais is not None:
            if relais not in relais_ids:
                raise CommandError(f"Relais introuvable : {relais}")
            relais_ids = [relais]
        debut = time.perf_counter()
        empreintes = services.enregistrer_indicateurs_de_plusieurs(relais_ids=relais_ids, annee=annee)
        for relais_id, empreinte in empreintes.items():
            self.stdout.write(f"relais {relais_id} · {annee} · empreinte {empreinte[:12]}")
        self.stdout.write(f"{len(relais_ids)} relais en {time.perf_counter() - debut:.2f} s")
