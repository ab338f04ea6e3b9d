"""Time `import_agrements` on a generated PMI file of N rows (default 10 000), dry run and apply.

    uv run python scripts/stack.py run python bench/import_agrements.py --rows 10000

The apply run writes inside a transaction that is rolled back at the end: the database is left as it was.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class Rollback(Exception):
    pass


def fichier(rows: int, communes: list[str]) -> str:
    rng = random.Random(rows)
    lignes = [
        "numero_agrement,nom,prenom,email,telephone,adresse,code_insee,date_delivrance,date_fin_validite,"
        "capacite_totale,capacite_moins_3_ans,capacite_periscolaire"
    ]
    for numero in range(rows):
        debut = date(2021, 1, 1) + timedelta(days=rng.randint(0, 1500))
        capacite = rng.randint(1, 6)
        fin = debut + timedelta(days=1826)
        lignes.append(
            f"AGR-BENCH-{numero:06d},Nom{numero},Prenom{numero},am{numero}@bench-import.fr,06{numero:08d},"
            f"{numero} rue du Test,{rng.choice(communes)},{debut.isoformat()},{fin.isoformat()},"
            f"{capacite},{min(capacite, rng.randint(0, 4))},0"
        )
    return "\n".join(lignes) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction

    from assmats.import_agrements import importer
    from relais.models import Commune

    communes = list(Commune.objects.filter(territoire__isnull=False).values_list("code_insee", flat=True))
    if not communes:
        sys.exit("No commune in a territory: run seed_demo first.")
    contenu = fichier(args.rows, communes)

    start = time.perf_counter()
    rapport = importer(contenu, appliquer=False)
    verification = time.perf_counter() - start
    if not rapport.valide:
        sys.exit(f"Generated file rejected: {rapport.rejets[:3]}")

    start = time.perf_counter()
    try:
        with transaction.atomic():
            rapport = importer(contenu, appliquer=True)
            ecriture = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    print(f"rows: {args.rows}; created: {rapport.crees}; updated: {rapport.mis_a_jour}")
    print(f"dry run: {verification:.2f} s; apply (parse + validate + write, rolled back): {ecriture:.2f} s")


if __name__ == "__main__":
    main()
