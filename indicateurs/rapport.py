"""The annual report of a relais as a PDF (WeasyPrint), to attach to its application to the CAF."""

from django.template.loader import render_to_string
from django.utils import timezone

# Tagged PDF for screen readers, as for the tiers payant conventions.
PDF_VARIANT = "pdf/ua-1"


def rendre(contexte: dict) -> bytes:
    from weasyprint import HTML  # ~1 s to import: only where a PDF is made

    html = render_to_string("indicateurs/pdf/rapport.html", contexte | {"edite_le": timezone.now()})
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
