"""CPU time of one page in process, split into SQL, template and the rest.

The 2 cores of this machine are shared: wall time measures the neighbours as much as the page. CPU time of this
process (`time.process_time`) does not count the time spent waiting for PostgreSQL nor for a core, so it is what
rendering costs and what a gunicorn worker would spend per request.

    uv run --frozen python scripts/stack.py run python bench/cpu_page.py demandes:file --repeat 200
    uv run --frozen python scripts/stack.py run python bench/cpu_page.py demandes:file --profile 30

Columns: CPU ms per request (median), of which inside the template (`Template.render` of the page, widgets and
context processors included); SQL ms is the wall time of the queries (PostgreSQL's work plus the round trips,
mostly not this process' CPU); queries per request. Uses the development database as seeded (`seed_demo`).
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import HOST, second_factor, setup_django  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="label or URL name of bench/pages.py")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N requests, print the top")
    args = parser.parse_args(argv)
    setup_django()

    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import PAGES
    from comptes.models import User

    page = next(p for p in PAGES if args.page in (p.label, p.url_name))
    url = page.path()
    client = Client(SERVER_NAME=HOST)
    if page.user:
        second_factor(page.user)
        client.force_login(User.objects.get(email=page.user))

    spent = [0.0]
    depth = [0]
    original = Template.render

    def timed(self, *a, **kw):  # outermost render only: widgets render through the same backend inside the page
        depth[0] += 1
        start = time.process_time()
        try:
            return original(self, *a, **kw)
        finally:
            depth[0] -= 1
            if not depth[0]:
                spent[0] += time.process_time() - start

    def get():
        response = client.get(url)
        if response.status_code != page.status:
            raise SystemExit(f"{url} answered {response.status_code}, expected {page.status}")
        return response

    for _ in range(args.warmup):
        get()
    if args.profile:
        profile = cProfile.Profile(time.process_time)  # CPU: waiting for PostgreSQL or a core is not ours
        profile.enable()
        for _ in range(args.profile):
            get()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(110)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
        return 0

    Template.render = timed
    cpu, template, sql, queries = [], [], [], []
    try:
        for _ in range(args.repeat):
            spent[0] = 0.0
            with CaptureQueriesContext(connection) as captured:
                start = time.process_time()
                response = get()
                cpu.append((time.process_time() - start) * 1000)
            template.append(spent[0] * 1000)
            sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            queries.append(len(captured.captured_queries))
    finally:
        Template.render = original
    median = statistics.median
    print(
        f"{page.label} {url}: {len(response.content) / 1024:.1f} KB, {args.repeat} requests\n"
        f"CPU ms median {median(cpu):.2f} (min {min(cpu):.2f}), template CPU ms {median(template):.2f}, "
        f"rest CPU ms {median(c - t for c, t in zip(cpu, template, strict=True)):.2f}, "
        f"SQL wall ms {median(sql):.2f}, queries {min(queries)}–{max(queries)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
