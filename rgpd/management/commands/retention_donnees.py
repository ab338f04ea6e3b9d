from django.core.management.base import BaseCommand

from rgpd import services

MONTRES = 20


class Command(BaseCommand):
    help = (
        "Anonymise les données personnelles dont la durée de conservation est écoulée (RGPD_CONSERVATION). "
        "Sans --appliquer, liste seulement ce qui serait anonymisé."
    )

    def add_arguments(self, parser):
        groupe = parser.add_mutually_exclusive_group()
        groupe.add_argument(
            "--dry-run", action="store_true", help="liste ce qui serait anonymisé sans rien écrire (par défaut)"
        )
        groupe.add_argument("--appliquer", action="store_true", help="anonymise pour de bon")

    def handle(self, *args, appliquer=False, verbosity=1, **options):
        rapport = services.appliquer_retention(dry_run=not appliquer)
        verbe = "anonymisé(e)s" if rapport.applique else "à anonymiser"
        lignes = [
            ("demandes d'accueil closes ou retirées", rapport.demandes),
            ("assistants maternels dont l'agrément a pris fin", rapport.assistants_maternels),
            ("conventions de tiers payant terminées", rapport.conventions),
        ]
        for libelle, ids in lignes:
            # The ids let an admin check a few records before applying; all of them with -v 2.
            montres = ids if verbosity > 1 else ids[:MONTRES]
            suite = " …" if len(montres) < len(ids) else ""
            detail = f" (id {', '.join(map(str, montres))}{suite})" if ids else ""
            self.stdout.write(f"{libelle} {verbe} : {len(ids)}{detail}")
        if not rapport.applique:
            self.stdout.write("Simulation : rien n'a été modifié. Relancez avec --appliquer pour anonymiser.")
