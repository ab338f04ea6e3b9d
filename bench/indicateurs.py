"""Time the indicators of circular C 2017-003 for every relais of the database, and the département dashboard.

    DJANGO_ENV=development uv run python scripts/stack.py run python bench/indicateurs.py --annee 2026

Writes the snapshots (the indicators' own table, replaced as the nightly task does); reads everything else.
Prints the time and the number of SQL queries of the whole computation and per relais, then the median and
95th percentile of `indicateurs:tableau` (as the demo CAF agent) and its query count.

    --profil     also times each indicator (all relais at once, and one relais) and prints the EXPLAIN ANALYZE of
                 its slowest query (read-only: nothing is written)
    --relais ID  the relais of the one-relais figures (default: the first)
    --fois N     run the computations N times (the machine is shared: report the range)
    --departement CODE  only the relais of this département (e.g. on the 1M database of bench/indicateurs_1m.py:
                 DATABASE_URL=…/guichet_bench_1m … --departement 91)
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The page is measured, not the second factor: the demo agent has none (as in `scripts/stack.py demo`).
os.environ.setdefault("STAFF_MFA_REQUIRED", "false")


def temps_cpu() -> float:
    """CPU seconds used so far by this process and by its PostgreSQL backend (same machine: /proc), which the
    other processes of a shared machine do not inflate as they inflate wall time. Parallel query workers are not
    counted (the indicators' plans use none)."""
    from django.db import connection

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid  # no query: the query counts stay as they are
    champs = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return time.process_time() + (int(champs[11]) + int(champs[12])) / os.sysconf("SC_CLK_TCK")


def mesurer_tableau(agent, annee: int, repeat: int) -> dict:
    """Median and p95 of the CAF's département table (it reads snapshots only), and its query count: printed, and
    returned as `{"median_ms", "p95_ms", "requetes"}`."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client(SERVER_NAME="localhost")
    client.force_login(agent)
    url = reverse("indicateurs:tableau") + f"?annee={annee}"
    for _ in range(3):
        if client.get(url).status_code != 200:  # noqa: PLR2004
            sys.exit(f"{url} did not answer 200")
    echantillons = []
    for _ in range(repeat):
        t = time.perf_counter()
        client.get(url)
        echantillons.append((time.perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as requetes:
        client.get(url)
    p95 = statistics.quantiles(echantillons, n=20, method="inclusive")[-1]
    print(
        f"indicateurs:tableau as {agent.email}: median {statistics.median(echantillons):.1f} ms, "
        f"p95 {p95:.1f} ms, {len(requetes.captured_queries)} queries ({repeat} requests)"
    )
    return {"median_ms": statistics.median(echantillons), "p95_ms": p95, "requetes": len(requetes.captured_queries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--annee", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profil", action="store_true")
    parser.add_argument("--relais", type=int, default=None)
    parser.add_argument("--fois", type=int, default=1)
    parser.add_argument("--departement", default=None)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from assmats.models import AssistantMaternel
    from comptes.models import Role, User
    from demandes.models import Demande
    from indicateurs.services import enregistrer_indicateurs, enregistrer_indicateurs_de_plusieurs
    from relais.models import Relais

    annee = args.annee or timezone.localdate().year
    relais = Relais.objects.filter(departement__code=args.departement) if args.departement else Relais.objects.all()
    relais_ids = list(relais.order_by("pk").values_list("pk", flat=True))
    print(
        f"relais: {len(relais_ids)}; childminders: {AssistantMaternel.objects.count()}; "
        f"requests: {Demande.objects.count()} (submitted in {annee - 1}–{annee}: "
        f"{Demande.objects.filter(date_depot__year__in=[annee - 1, annee]).count()}); year computed: {annee}"
    )
    for _ in range(args.fois):
        par_relais = []
        with CaptureQueriesContext(connection) as toutes:
            cpu, debut = temps_cpu(), time.perf_counter()
            for relais_id in relais_ids:
                t = time.perf_counter()
                enregistrer_indicateurs(relais_id=relais_id, annee=annee)
                par_relais.append(time.perf_counter() - t)
            total, cpu = time.perf_counter() - debut, temps_cpu() - cpu
        print(
            f"one relais at a time (the per-relais task, run for each relais in turn): {total:.2f} s "
            f"(CPU {cpu:.2f} s), {len(toutes.captured_queries)} queries; per relais: median "
            f"{statistics.median(par_relais):.2f} s, max {max(par_relais):.2f} s  [load {os.getloadavg()[0]:.2f}]"
        )
        with CaptureQueriesContext(connection) as ensemble:
            cpu, debut = temps_cpu(), time.perf_counter()
            enregistrer_indicateurs_de_plusieurs(relais_ids=relais_ids, annee=annee)
            total, cpu = time.perf_counter() - debut, temps_cpu() - cpu
        print(
            f"all relais at once (command calculer_indicateurs; the nightly task of a département): {total:.2f} s "
            f"(CPU {cpu:.2f} s), {len(ensemble.captured_queries)} queries  [load {os.getloadavg()[0]:.2f}]"
        )
    if args.profil:
        profiler(relais_ids, args.relais or relais_ids[0], annee)

    mesurer_tableau(User.objects.filter(role=Role.AGENT_CAF).order_by("pk").first(), annee, args.repeat)


def profiler(relais_ids: list[int], un_relais: int, annee: int) -> None:
    """Per indicator: wall time for all relais and for one relais, its queries, and the plan of its slowest query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from indicateurs.calculs import INDICATEURS

    print(f"\nper indicator (year {annee}): all {len(relais_ids)} relais | relais {un_relais}")
    plans = []
    for indicateur in INDICATEURS:
        temps = []
        for ids in (relais_ids, [un_relais]):
            with CaptureQueriesContext(connection) as requetes:
                t = time.perf_counter()
                indicateur.fonction(ids, annee)
                temps.append(time.perf_counter() - t)
            if ids is relais_ids:
                lente = max(requetes.captured_queries, key=lambda q: float(q["time"]))
                sql_s = sum(float(q["time"]) for q in requetes.captured_queries)
                nombre = len(requetes.captured_queries)
        print(f"  {indicateur.code:24} {temps[0]:6.2f} s ({nombre} queries, {sql_s:.2f} s in SQL) | {temps[1]:5.2f} s")
        plans.append((indicateur.code, lente))
    for code, requete in plans:
        if float(requete["time"]) < 0.2:  # noqa: PLR2004 - only the plans worth reading
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + requete["sql"])
            plan = "\n    ".join(ligne for (ligne,) in cursor.fetchall())
        print(f"\n{code}: slowest query {float(requete['time']):.2f} s\n    {plan}")


if __name__ == "__main__":
    main()
