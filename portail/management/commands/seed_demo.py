import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portail.demo import (
    COMPTES_DEMO,
    DEMO_PASSWORD,
    demandes,
    formation,
    indicateurs,
    insertion,
    offre,
    orientations,
    socle,
    tiers_payant,
)
from relais.communes_source import SourceInvalide


class Command(BaseCommand):
    help = "Charge des données de démonstration réalistes et déterministes (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument(
            "--demandes",
            type=int,
            dest="nombre_de_demandes",
            metavar="N",
            help="with --size large: N requests instead of 200 000, on the same offer and territory (benchmarks "
            "that compare request counts alone)",
        )
        parser.add_argument(
            "--list-accounts", action="store_true", help="affiche seulement les comptes de démonstration"
        )

    def handle(self, *args, size, list_accounts, nombre_de_demandes: int | None = None, **options):
        if not list_accounts:
            if nombre_de_demandes is not None and (size != "large" or nombre_de_demandes < 0):
                raise CommandError("--demandes va avec --size large et un nombre positif.")
            start = time.monotonic()
            # The portal's per-statement timeout guards web requests; bulk loading the large demo legitimately
            # runs longer statements (COPY of 200 000 rows) on a busy machine.
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
            try:
                relais = socle.seed_socle_large() if size == "large" else socle.seed_socle()
                offre.seed_offre_large() if size == "large" else offre.seed_offre()
                if size == "large":
                    nombre = {} if nombre_de_demandes is None else {"nombre": nombre_de_demandes}
                    demandes.seed_demandes_large(**nombre)
                else:
                    demandes.seed_demandes()
                orientations.seed_orientations(relais)
                tiers_payant.seed_tiers_payant()
                formation.seed_formation()
                # A Maine-et-Loire relais: AVIP places and PEPIT parcours (issue 15).
                relais = [*relais, insertion.seed_insertion()]
                indicateurs.seed_indicateurs(relais)
            except SourceInvalide as exc:
                raise CommandError(str(exc)) from exc
            if size == "large":
                # Fresh planner statistics after bulk loading, or the first queries get poor plans.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Données de démonstration ({size}) : {len(relais)} relais, en {time.monotonic() - start:.1f} s."
                )
            )
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        for role, email in COMPTES_DEMO:
            self.stdout.write(f"  {role:<10} {email}")
