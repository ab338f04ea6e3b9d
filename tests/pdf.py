"""Reading a generated PDF as a person would: its text, extracted by poppler's pdftotext."""

import shutil
import subprocess


def texte_du_pdf(contenu: bytes, tmp_path, nom: str = "document.pdf") -> str:
    chemin = tmp_path / nom
    chemin.write_bytes(contenu)
    return subprocess.run(
        [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-layout", str(chemin), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
