"""A PDF of the portal fetches nothing but the portal's own static files, whatever its HTML holds.

Templates escape what people type; these tests feed the renderer raw markup as if escaping had failed, and
check what would leak: a local file embedded as an attachment or an image, a request to a local service.
"""

import shutil
import socket
import subprocess
import threading

import pytest

from fichiers.pdf import RessourceRefusee, _fichier_statique, rendre_pdf
from tests.pdf import texte_du_pdf
from tests.tiers_payant.conftest import acteurs, envoyer  # noqa: F401, F811 (acteurs: a fixture)
from tiers_payant import selectors


def pieces_jointes(contenu: bytes, tmp_path) -> str:
    chemin = tmp_path / "pieces.pdf"
    chemin.write_bytes(contenu)
    return subprocess.run(
        [shutil.which("pdfdetach") or "/usr/bin/pdfdetach", "-list", str(chemin)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def images(contenu: bytes, tmp_path) -> list[str]:
    chemin = tmp_path / "images.pdf"
    chemin.write_bytes(contenu)
    sortie = subprocess.run(
        [shutil.which("pdfimages") or "/usr/bin/pdfimages", "-list", str(chemin)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return sortie.splitlines()[2:]  # two lines of column headers


@pytest.fixture
def ecouteur():
    """A TCP listener on loopback that records every connection made to it."""
    serveur = socket.socket()
    serveur.bind(("127.0.0.1", 0))
    serveur.listen()
    serveur.settimeout(0.2)
    connexions = []
    fini = threading.Event()

    def accepter():
        while not fini.is_set():
            try:
                client, _ = serveur.accept()
            except TimeoutError:
                continue
            connexions.append(client.recv(1024))
            client.close()

    fil = threading.Thread(target=accepter, daemon=True)
    fil.start()
    yield serveur.getsockname()[1], connexions
    fini.set()
    fil.join()
    serveur.close()


def test_a_local_file_is_neither_attached_nor_drawn(tmp_path):
    contenu = rendre_pdf(
        '<html><head><link rel="attachment" href="file:///etc/passwd"></head>'
        '<body><p>Bonjour</p><img src="file:///etc/passwd"><a rel="attachment" href="file:///etc/hostname">x</a>'
        "</body></html>"
    )

    assert "0 embedded files" in pieces_jointes(contenu, tmp_path)
    assert images(contenu, tmp_path) == []
    assert "root:" not in texte_du_pdf(contenu, tmp_path)
    assert b"root:x:0:0" not in contenu


def test_a_url_to_a_local_service_is_never_requested(tmp_path, ecouteur):
    port, connexions = ecouteur

    contenu = rendre_pdf(
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
        f'<link rel="attachment" href="http://127.0.0.1:{port}/secret"></head>'
        f'<body style="background: url(http://127.0.0.1:{port}/fond.png)">'
        f'<img src="http://127.0.0.1:{port}/image.png"><img src="https://127.0.0.1:{port}/image.png"></body></html>'
    )

    assert contenu.startswith(b"%PDF")
    assert connexions == []
    assert "0 embedded files" in pieces_jointes(contenu, tmp_path)


def test_a_data_url_is_refused_too(tmp_path):
    # A 1×1 PNG: a data: URL would let markup smuggle any content into the document.
    pixel = (
        "data:image/png;base64,"
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )

    contenu = rendre_pdf(f'<html><body><img src="{pixel}"></body></html>')

    assert images(contenu, tmp_path) == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "data:text/plain,secret",
        "http://127.0.0.1:6379/",
        "https://guichet-rpe.invalid/media/conventions/autre.pdf",
        "https://guichet-rpe.invalid/static/../../../etc/passwd",
        "https://guichet-rpe.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://guichet-rpe.invalid/static/css/inconnu.css",
        "https://ailleurs.example/static/css/portail.css",
    ],
)
def test_the_fetcher_refuses_anything_but_a_static_file_of_ours(url):
    with pytest.raises(RessourceRefusee):
        _fichier_statique(url)


def test_the_fetcher_serves_our_own_static_files(settings):
    chemin = _fichier_statique(f"https://guichet-rpe.invalid{settings.STATIC_URL}css/portail.css")

    assert chemin.endswith("static/css/portail.css")


@pytest.mark.django_db
def test_markup_typed_by_a_family_reaches_the_convention_pdf_as_text(acteurs, tmp_path, ecouteur):  # noqa: F811

    port, connexions = ecouteur
    acteurs.parent.first_name = '<img src="file:///etc/passwd">'
    acteurs.parent.last_name = f'<img src="http://127.0.0.1:{port}/x">'
    acteurs.parent.save()

    convention = envoyer(acteurs, enfant_prenom='<link rel="attachment" href="file:///etc/passwd">')
    contenu = bytes(selectors.document_a_signer(convention, contenu=True).contenu)

    texte = " ".join(texte_du_pdf(contenu, tmp_path).split())
    assert '<img src="file:///etc/passwd">' in texte
    assert "0 embedded files" in pieces_jointes(contenu, tmp_path)
    assert images(contenu, tmp_path) == []
    assert connexions == []
