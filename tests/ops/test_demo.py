"""The demo behaves as production does: DEBUG off, French error pages, static files and favicon served, links
in e-mails built from the address it prints, and a quiet console."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.portail.test_worker import _database_url_of_the_test_database

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import stack  # noqa: E402 - scripts/stack.py, the demo's launcher

pytestmark = pytest.mark.django_db


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lire(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as reponse:  # noqa: S310 - our own loopback server
            return reponse.status, reponse.read().decode()
    except urllib.error.HTTPError as erreur:
        return erreur.code, erreur.read().decode()


@pytest.fixture
def serveur_de_demo(tmp_path):
    env = {nom: valeur for nom, valeur in os.environ.items() if not nom.startswith(("DJANGO_", "SITE_URL"))}
    env |= {"PORT": str(_port_libre()), "DATABASE_URL": _database_url_of_the_test_database()}
    env["DJANGO_ENV"] = "development"  # as scripts/stack.py sets it for the demo
    env = stack.demo_environment(env)
    journal = (tmp_path / "console.log").open("w")
    processus = subprocess.Popen(stack.demo_server(env), cwd=ROOT, env=env, stdout=journal, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{env['PORT']}"
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", int(env["PORT"])), timeout=1).close()
            break
        except OSError:
            assert processus.poll() is None, (tmp_path / "console.log").read_text()
            assert time.monotonic() < deadline, "le serveur de démonstration n'a pas démarré en 120 s"
            time.sleep(0.2)
    yield base, env
    processus.terminate()
    processus.wait(timeout=30)
    journal.close()


def test_the_demo_runs_with_debug_off_and_links_to_the_address_it_prints():
    env = stack.demo_environment({"PORT": "8123"})

    assert env["DJANGO_DEBUG"] == "false"
    assert env["SITE_URL"] == "http://127.0.0.1:8123"


def test_an_unknown_page_of_the_demo_is_the_french_404_not_the_debug_page(serveur_de_demo):
    base, _ = serveur_de_demo

    statut, page = _lire(base + "/cette-page-n-existe-pas/")

    assert statut == 404
    assert "Page introuvable" in page
    assert "URLconf" not in page


def test_the_demo_serves_its_static_files_and_favicon(serveur_de_demo):
    base, _ = serveur_de_demo

    _, accueil = _lire(base + "/")
    statut_css, _ = _lire(base + "/static/css/portail.css")
    statut_icone, icone = _lire(base + "/static/favicon.svg")

    assert '<link rel="icon" href="/static/favicon.svg"' in accueil
    assert statut_css == 200
    assert (statut_icone, icone.startswith("<svg")) == (200, True)


def test_weasyprint_does_not_fill_the_console_with_font_details():
    assert logging.getLogger("weasyprint").getEffectiveLevel() >= logging.WARNING
    assert logging.getLogger("fontTools.subset").getEffectiveLevel() >= logging.WARNING
