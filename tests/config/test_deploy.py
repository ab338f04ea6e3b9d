"""Production settings, checked in subprocesses: each one loads the settings afresh from its environment."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "config" / "settings.py"
ENV_CALL = re.compile(r"""env\.(?:get|flag|integer|items)\(\s*["']([A-Z][A-Z0-9_]*)["']""")
# How each document lists a variable: an assignment (commented out when optional), a table row.
DOCUMENTED = {
    ".env.example": re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=", re.MULTILINE),
    "docs/production.md": re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \|", re.MULTILINE),
}
# Read by docker-compose.yml (the PostgreSQL container), not by Django.
COMPOSE_ONLY = {"POSTGRES_PASSWORD"}


def production_env(**overrides: str | None) -> dict[str, str]:
    """The current environment (services' URLs included) with production settings and no DJANGO_* leftovers."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="rpe.example.fr",
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=os.environ["REDIS_URL"],
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed command, our own interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage(production_env(), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("secret_key", [None, ""], ids=["unset", "empty"])
def test_production_refuses_to_start_without_secret_key(secret_key):
    result = manage(production_env(DJANGO_SECRET_KEY=secret_key), "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("environment", ["production", "development", "test"])
def test_debug_is_off_when_django_debug_is_unset(environment):
    result = manage(
        production_env(DJANGO_ENV=environment),
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_unset_environment_means_production():
    """A forgotten DJANGO_ENV must fail safe: production settings, secret key required."""
    result = manage(production_env(DJANGO_ENV=None, DJANGO_SECRET_KEY=None), "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("document", DOCUMENTED)
def test_documents_list_exactly_the_variables_read_by_settings(document):
    read_by_settings = set(ENV_CALL.findall(SETTINGS_FILE.read_text(encoding="utf-8")))
    documented = set(DOCUMENTED[document].findall((ROOT / document).read_text(encoding="utf-8")))

    assert read_by_settings, "no env.* call found in config/settings.py: has the pattern changed?"
    assert read_by_settings - documented == set(), "read by settings, missing from the document"
    assert documented - read_by_settings - COMPOSE_ONLY == set(), "in the document, never read by settings"
