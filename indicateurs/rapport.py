"""The annual report of a relais as a PDF (WeasyPrint), to attach to its application to the CAF."""

from django.template.loader import render_to_string
from django.utils import timezone

from fichiers.pdf import rendre_pdf


def rendre(contexte: dict) -> bytes:
    html = render_to_string("indicateurs/pdf/rapport.html", contexte | {"edite_le": timezone.now()})
    return rendre_pdf(html)
