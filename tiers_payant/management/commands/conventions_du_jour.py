from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from tiers_payant import services


class Command(BaseCommand):
    help = "Active les conventions signées dont la date de début est atteinte et termine celles arrivées à terme."

    def add_arguments(self, parser):
        parser.add_argument("--au", type=date.fromisoformat, help="date du jour (AAAA-MM-JJ), aujourd'hui par défaut")

    def handle(self, *args, au, **options):
        activees, terminees = services.mettre_a_jour_statuts(au=au or timezone.localdate())
        self.stdout.write(f"{activees} convention(s) activée(s), {terminees} terminée(s).")
