"""The accessibility statement says of the PDFs what a generated PDF really holds (WeasyPrint, PDF/UA-1)."""

import re
import shutil
import subprocess
import zlib

import pytest
from django.urls import reverse

from tests.demandes.factories import DemandeFactory

pytestmark = pytest.mark.django_db


def _pdfinfo(chemin, *options) -> str:
    commande = [shutil.which("pdfinfo") or "/usr/bin/pdfinfo", *options, str(chemin)]
    return subprocess.run(commande, capture_output=True, check=True, text=True).stdout


def _objets(contenu: bytes) -> bytes:
    """The PDF's objects, its compressed object streams inflated (the catalog lives in one)."""
    morceaux = [contenu]
    for debut in re.finditer(rb"stream\r?\n", contenu):
        fin = contenu.find(b"endstream", debut.end())
        try:
            morceaux.append(zlib.decompress(contenu[debut.end() : fin].rstrip(b"\r\n")))
        except zlib.error:
            continue
    return b"\n".join(morceaux)


def _phrase_sur_les_pdf(client) -> str:
    html = client.get(reverse("portail:accessibilite")).content.decode()
    return re.search(r'<li id="documents-pdf">(.*?)</li>', html, re.S).group(1)


def test_la_declaration_dit_les_pdf_balises_comme_le_sont_ceux_du_portail(client, tmp_path):
    parent = DemandeFactory().parent
    client.force_login(parent)
    contenu = client.get(reverse("rgpd:export_pdf")).content
    chemin = tmp_path / "mes-donnees.pdf"
    chemin.write_bytes(contenu)

    phrase = _phrase_sur_les_pdf(client)

    assert "sont balisés" in phrase
    assert "ne sont pas balisés" not in phrase
    # What the sentence claims, read in the file: a structure tree of headings and tables, French, a title.
    assert "Tagged:          yes" in _pdfinfo(chemin)
    structure = _pdfinfo(chemin, "-struct")
    assert structure.startswith("Document")
    assert re.search(r"^\s+H1\b", structure, re.M)
    assert re.search(r"^\s+Table\b", structure, re.M)
    objets = _objets(contenu)
    assert b"/StructTreeRoot" in objets
    assert b"/MarkInfo <</Marked true>>" in objets
    assert b"/Lang (fr)" in objets
    assert re.search(r"^Title:\s+Mes données personnelles", _pdfinfo(chemin), re.M)


def test_la_declaration_ne_pretend_pas_a_une_verification_du_balisage(client):
    phrase = _phrase_sur_les_pdf(client)

    # No PDF/UA checker nor screen reader has been run on these files, and table cells name no headers.
    assert "n'a été vérifié ni par un outil de contrôle PDF/UA ni avec un lecteur d'écran" in phrase
