"""Benchmark the portal's pages at a data scale, and one page's throughput under gunicorn.

    uv run python scripts/stack.py run python bench/run.py --size large

1. migrate, then `seed_demo --size SIZE` (idempotent; skip with --no-seed);
2. for each page of bench/pages.py: warm-up requests (their SQL queries are counted), then --repeat timed
   requests through django.test.Client; median and 95th percentile of the wall time per request;
3. gunicorn (--workers) on 127.0.0.1 serving the portal, then a second one serving bench/minimal_urls.py with
   the same settings; wrk against one page of each (loopback only, bounded duration); both stopped at the end.

Results are printed and written to bench/results/<date>-<size>.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Host name sent by the test client: must be in ALLOWED_HOSTS of the development settings.
HOST = "localhost"
LOOPBACK = "127.0.0.1"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- Django, data ----------------------------------------------------------------------------------------------


def setup_django() -> None:
    value = os.environ.get("DJANGO_DEBUG", "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        raise SystemExit("bench: unset DJANGO_DEBUG; debug pages are slower and would not measure production.")
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.setdefault("DJANGO_ENV", "development")
    if os.environ["DJANGO_ENV"] == "production":
        raise SystemExit("bench: DJANGO_ENV=production redirects every request to HTTPS; use development.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"  # config.settings, rate limits out of reach
    import django

    django.setup()


def seed(size: str) -> None:
    from django.core.management import call_command

    start = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", size=size, stdout=sys.stderr)
    log(f"migrate + seed_demo --size {size}: {time.monotonic() - start:.1f} s")


def data_scale() -> dict[str, int]:
    from assmats.models import Accueil, AssistantMaternel, Disponibilite
    from comptes.models import User
    from relais.models import Commune, CommuneDuTerritoire, MembreRelais, Relais

    return {
        "childminders": AssistantMaternel.objects.count(),
        "children in care": Accueil.objects.count(),
        "availability declarations": Disponibilite.objects.count(),
        "relais": Relais.objects.count(),
        "communes": Commune.objects.count(),
        "communes in a territory": CommuneDuTerritoire.objects.count(),
        "relais team members": MembreRelais.objects.count(),
        "users": User.objects.count(),
    }


# --- In-process page timings -----------------------------------------------------------------------------------


@dataclass
class PageResult:
    label: str
    user: str
    url: str
    median_ms: float
    p95_ms: float
    queries: str
    kilobytes: float
    template_ms: float  # median time in the page's template rendering (included in median_ms)


def percentile_95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def measure_page(page, *, repeat: int, warmup: int) -> PageResult:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from comptes.models import User

    url = page.path()
    # SERVER_NAME: the default "testserver" is not an allowed host outside the test runner.
    client = Client(SERVER_NAME=HOST)
    if page.user:
        second_factor(page.user)
        client.force_login(User.objects.get(email=page.user))

    def get():
        response = client.get(url)
        if response.status_code != page.status:
            raise SystemExit(f"bench: {page.label} {url} answered {response.status_code}, expected {page.status}")
        return response

    counts = []
    for _ in range(warmup):
        with CaptureQueriesContext(connection) as queries:
            response = get()
        counts.append(len(queries.captured_queries))
    samples, templates = [], []
    for _ in range(repeat):
        with template_timer() as rendering:
            start = time.perf_counter()
            get()
            samples.append((time.perf_counter() - start) * 1000)
        templates.append(rendering[0])
    return PageResult(
        label=page.label,
        user=page.user.split("@")[0] if page.user else "anonymous",
        url=url,
        median_ms=statistics.median(samples),
        p95_ms=percentile_95(samples),
        queries=str(max(counts)) if min(counts) == max(counts) else f"{min(counts)}–{max(counts)}",
        kilobytes=len(response.content) / 1024,
        template_ms=statistics.median(templates),
    )


@contextlib.contextmanager
def template_timer() -> Iterator[list[float]]:
    """Milliseconds spent in templates during the block: the backend's Template.render is what render() calls
    (includes and form widgets render inside it), so this is the rendering time of the page, context processors
    included (and any query a template triggers)."""
    from django.template.backends.django import Template

    spent = [0.0]
    depth = [0]  # form widgets render through the same backend inside the page: count the outermost call only
    original = Template.render

    def timed(self, *args, **kwargs):
        depth[0] += 1
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                spent[0] += (time.perf_counter() - start) * 1000

    Template.render = timed
    try:
        yield spent
    finally:
        Template.render = original


# --- Throughput under gunicorn ---------------------------------------------------------------------------------


@dataclass
class WrkResult:
    target: str
    url: str
    requests_per_second: float
    latency_avg_ms: float
    latency_p50_ms: float
    latency_p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: str


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def answers_200(url: str) -> bool:
    # No proxy: the server is on the loopback interface.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def gunicorn(settings_module: str, *, workers: int, ready_path: str) -> Iterator[str]:
    """A gunicorn on 127.0.0.1 with the given settings; yields its base URL, stops it on exit."""
    port = free_port()
    base = f"http://{LOOPBACK}:{port}"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings_module)
    env.pop("DJANGO_DEBUG", None)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{LOOPBACK}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    log(f"starting gunicorn ({settings_module}, {workers} workers) on {base}")
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not answers_200(base + ready_path):
            if process.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited with {process.returncode}")
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: gunicorn did not answer 200 on {ready_path} within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log(f"gunicorn on {base} stopped")


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match[1]) * UNITS_MS[match[2]]


def parse_wrk(output: str, *, target: str, url: str) -> WrkResult:
    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise ValueError(f"wrk output without {pattern!r}:\n{output}")
        return match

    errors = re.search(r"Socket errors: (.*)$", output, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        target=target,
        url=url,
        requests_per_second=float(find(r"^Requests/sec:\s+([\d.]+)")[1]),
        latency_avg_ms=_duration_ms(find(r"^\s+Latency\s+(\S+)")[1]),
        latency_p50_ms=_duration_ms(find(r"^\s+50%\s+(\S+)")[1]),
        latency_p99_ms=_duration_ms(find(r"^\s+99%\s+(\S+)")[1]),
        requests=int(find(r"^\s+(\d+) requests in")[1]),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=errors[1].strip() if errors else "none",
    )


def run_wrk(url: str, *, threads: int, connections: int, seconds: int, headers: list[str] | None = None) -> str:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency"]
    command += [*(headers or []), url]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if completed.returncode:
        raise SystemExit(f"bench: wrk failed ({completed.returncode}): {completed.stderr}")
    return completed.stdout


def second_factor(email: str) -> None:
    """Staff must have a second factor (comptes.middleware.staff_mfa_required): the demo's staff accounts get a TOTP
    authenticator with a random secret, as a real staff member has one, so that the page measured is the page,
    not the redirect to the TOTP setup. Idempotent; the development database only."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from comptes.models import User

    user = User.objects.get(email=email)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


def session_cookie(page) -> str | None:
    """A session of the page's demo user, as a Cookie header: gunicorn reads the same session store."""
    if not page.user:
        return None
    from django.conf import settings
    from django.test import Client

    from comptes.models import User

    second_factor(page.user)
    client = Client(SERVER_NAME=HOST)
    client.force_login(User.objects.get(email=page.user))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@dataclass
class OpenLoopResult:
    target: str
    rate: int
    sent: int
    failed: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


def open_loop(url: str, *, cookie: str | None, rate: int, seconds: int, target: str) -> OpenLoopResult:
    """Requests at a fixed rate whatever the answers (open loop): each latency runs from the request's scheduled
    time, so a slow answer delays the measure, not the next requests (no coordinated omission)."""
    import concurrent.futures
    import http.client
    import threading
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    local = threading.local()
    headers = {"Cookie": cookie} if cookie else {}

    def one(scheduled: float) -> float | None:
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        try:
            if not hasattr(local, "connection"):
                local.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            local.connection.request("GET", path, headers=headers)
            response = local.connection.getresponse()
            response.read()
            if response.status != 200:  # noqa: PLR2004
                return None
        except (OSError, http.client.HTTPException):
            local.__dict__.pop("connection", None)
            return None
        return (time.perf_counter() - scheduled) * 1000

    start = time.perf_counter() + 0.5
    count = rate * seconds
    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        futures = [pool.submit(one, start + i / rate) for i in range(count)]
        latencies = [f.result() for f in futures]
    ok = sorted(x for x in latencies if x is not None)
    if len(ok) < 2:  # noqa: PLR2004
        raise SystemExit(f"bench: open loop on {url}: {count - len(ok)} of {count} requests failed")
    cuts = statistics.quantiles(ok, n=100, method="inclusive")
    return OpenLoopResult(target, rate, count, count - len(ok), statistics.median(ok), cuts[94], cuts[98])


def throughput(args, pages) -> tuple[list[WrkResult], list[OpenLoopResult]]:
    """wrk against each page on one gunicorn of the portal, then against the minimal view on a second one, with
    the same workers and wrk settings: the ratios compare figures of the same run."""
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing (apt-get install -y wrk), or pass --no-throughput")
    results: list[WrkResult] = []
    loops: list[OpenLoopResult] = []
    targets = [(page.label, page.path(), session_cookie(page)) for page in pages]
    with gunicorn("bench.settings_bench", workers=args.workers, ready_path="/") as base:
        for label, path, cookie in targets:
            url = base + path
            headers = ["-H", f"Cookie: {cookie}"] if cookie else []
            # Warm-up: each worker opens its database connection and loads its templates.
            run_wrk(url, threads=args.threads, connections=args.connections, seconds=2, headers=headers)
            log(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s {url}")
            output = run_wrk(
                url, threads=args.threads, connections=args.connections, seconds=args.duration, headers=headers
            )
            results.append(parse_wrk(output, target=label, url=path))
            if args.open_loop_rate:
                log(f"open loop {args.open_loop_rate} requests/s for {args.open_loop_seconds} s on {url}")
                loops.append(
                    open_loop(
                        url, cookie=cookie, rate=args.open_loop_rate, seconds=args.open_loop_seconds, target=label
                    )
                )
    with gunicorn("bench.settings_minimal", workers=args.workers, ready_path="/") as base:
        url = base + "/"
        run_wrk(url, threads=args.threads, connections=args.connections, seconds=2)
        log(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s {url}")
        output = run_wrk(url, threads=args.threads, connections=args.connections, seconds=args.duration)
        results.append(parse_wrk(output, target=MINIMAL, url="/"))
    return results, loops


MINIMAL = "minimal Django view"


# --- Report ----------------------------------------------------------------------------------------------------


def machine(load_at_start: float) -> dict[str, str]:
    import django
    import gunicorn as gunicorn_package
    from django.db import connection

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk = "missing"
    if shutil.which("wrk"):
        # `wrk -v` prints its version then its usage, and exits 1.
        output = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10, check=False)
        wrk = (output.stdout + output.stderr).split("[", 1)[0].strip().removeprefix("wrk ")
    return {
        "CPU": f"{os.cpu_count()} cores, {cpu}",
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "PostgreSQL": postgres,
        "gunicorn": gunicorn_package.__version__,
        "wrk": wrk,
        "DJANGO_ENV": os.environ["DJANGO_ENV"],
        # Other work on the machine skews the timings: compare runs made at a similar load.
        "load average at start": f"{load_at_start:.2f}",
    }


def render(args, command: str, load: float, scale, pages: list[PageResult], wrk: list[WrkResult], loops: list) -> str:
    from django.utils import timezone

    lines = [
        f"# Benchmark {timezone.localdate().isoformat()}, scale {args.size}",
        "",
        "```",
        command,
        "```",
        "",
        "Machine: " + "; ".join(f"{key} {value}" for key, value in machine(load).items()) + ".",
        "",
        "Data: " + ", ".join(f"{value} {key}" for key, value in scale.items()) + ".",
        "",
        f"## Pages (django.test.Client in process, {args.warmup} warm-up + {args.repeat} timed requests each)",
        "",
        "| page | user | scale | median ms | p95 ms | template ms (median) | queries | KB |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| `{r.label}` `{r.url}` | {r.user} | {args.size} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.template_ms:.1f} "
        f"| {r.queries} "
        f"| {r.kilobytes:.1f} |"
        for r in pages
    ]
    if wrk:
        lines += [
            "",
            f"## Throughput (gunicorn --workers {args.workers}, wrk -t{args.threads} -c{args.connections} "
            f"-d{args.duration}s, {LOOPBACK})",
            "",
            "| target | path | requests/s | latency avg ms | p50 ms | p99 ms | requests | non-2xx | socket errors |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        lines += [
            f"| {w.target} | `{w.url}` | {w.requests_per_second:.0f} | {w.latency_avg_ms:.2f} | "
            f"{w.latency_p50_ms:.2f} | {w.latency_p99_ms:.2f} | {w.requests} | {w.non_2xx} | {w.socket_errors} |"
            for w in wrk
        ]
        minimal = wrk[-1]
        lines += [""]
        lines += [
            f"Ratio: `{w.target}` serves {w.requests_per_second / minimal.requests_per_second:.1%} of the minimal "
            f"view's requests/s ({w.requests_per_second:.0f} / {minimal.requests_per_second:.0f})."
            for w in wrk[:-1]
        ]
    if loops:
        lines += [
            "",
            f"## Open loop ({loops[0].rate} requests/s for {args.open_loop_seconds} s, "
            "latency from the scheduled time)",
            "",
            "| target | requests | failed | p50 ms | p95 ms | p99 ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {o.target} | {o.sent} | {o.failed} | {o.p50_ms:.1f} | {o.p95_ms:.1f} | {o.p99_ms:.1f} |" for o in loops
        ]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=["small", "large"], default="large", help="seed_demo scale")
    parser.add_argument("--repeat", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first (default 5)")
    parser.add_argument("--page", action="append", help="only pages whose URL name contains this (repeatable)")
    parser.add_argument("--no-seed", action="store_true", help="skip migrate and seed_demo")
    parser.add_argument("--no-throughput", action="store_true", help="skip the gunicorn + wrk comparison")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds per target (default 10)")
    parser.add_argument(
        "--throughput-page",
        action="append",
        help="page of bench/pages.py served under gunicorn: its label or URL name (first match), or a path "
        "fetched anonymously (repeatable; default: THROUGHPUT_PAGE)",
    )
    parser.add_argument("--open-loop-rate", type=int, default=0, help="also send N requests/s (open loop) per page")
    parser.add_argument("--open-loop-seconds", type=int, default=10, help="open loop duration (default 10 s)")
    parser.add_argument("--output", type=Path, help="results file (default bench/results/<date>-<size>.md)")
    parser.add_argument("--no-write", action="store_true", help="print the results only")
    args = parser.parse_args(argv)
    if args.repeat < 2 or args.warmup < 1:
        parser.error("--repeat must be at least 2 and --warmup at least 1")
    if not 1 <= args.duration <= 120:
        parser.error("--duration must be between 1 and 120 seconds")
    if not 0 <= args.open_loop_rate <= 500 or not 1 <= args.open_loop_seconds <= 120:
        parser.error("--open-loop-rate must be between 0 and 500, --open-loop-seconds between 1 and 120")
    return args


def throughput_pages(args, pages, default) -> list:
    from bench.pages import Page

    if not args.throughput_page:
        return [default]
    chosen = []
    for name in args.throughput_page:
        if name.startswith("/"):
            chosen.append(Page("", note=name, path_override=name))
            continue
        matches = [p for p in pages if name in (p.label, p.url_name)]
        if not matches:
            raise SystemExit(f"bench: no page {name!r} in bench/pages.py (give its label, URL name or a path)")
        chosen.append(matches[0])
    return chosen


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    load = os.getloadavg()[0]
    command = "uv run python scripts/stack.py run python bench/run.py " + shlex.join(argv)
    setup_django()
    from bench.pages import PAGES, THROUGHPUT_PAGE

    if not args.no_seed:
        seed(args.size)
    scale = data_scale()
    log("data: " + ", ".join(f"{value} {key}" for key, value in scale.items()))
    pages = [page for page in PAGES if not args.page or any(name in page.url_name for name in args.page)]
    results = []
    for page in pages:
        results.append(measure_page(page, repeat=args.repeat, warmup=args.warmup))
        r = results[-1]
        log(f"{page.label}: median {r.median_ms:.1f} ms (template {r.template_ms:.1f}), {r.queries} queries")
    wrk, loops = ([], []) if args.no_throughput else throughput(args, throughput_pages(args, PAGES, THROUGHPUT_PAGE))
    report = render(args, command.strip(), load, scale, results, wrk, loops)
    print(report)
    if not args.no_write:
        from django.utils import timezone

        output = args.output or RESULTS / f"{timezone.localdate().isoformat()}-{args.size}.md"
        output.parent.mkdir(parents=True, exist_ok=True)
        temporary = output.with_suffix(".tmp")
        temporary.write_text(report, encoding="utf-8")
        temporary.replace(output)
        log(f"written {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
