from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assmats.import_agrements import importer


class Command(BaseCommand):
    help = "Importe les agréments du fichier CSV de la PMI (vérification seule sans --apply)."

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--apply", action="store_true", help="enregistre tout, ou rien si une ligne est rejetée")

    def handle(self, *args, fichier, apply, **options):
        if not fichier.exists():
            raise CommandError(f"Fichier introuvable : {fichier}")
        try:
            contenu = fichier.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError("Le fichier doit être encodé en UTF-8.") from exc
        rapport = importer(contenu, appliquer=apply)
        self.stdout.write(
            f"À créer : {rapport.crees} · à mettre à jour : {rapport.mis_a_jour} · rejetées : {len(rapport.rejets)}"
        )
        for rejet in rapport.rejets:
            self.stdout.write(f"  ligne {rejet.ligne} : {rejet.motif}")
        if apply and not rapport.applique:
            raise CommandError("Rien n'a été enregistré : corrigez les lignes rejetées.")
        if rapport.applique:
            self.stdout.write(self.style.SUCCESS("Import enregistré."))
        else:
            self.stdout.write("Vérification seulement : relancez avec --apply pour enregistrer.")
