"""Every PDF of the portal is rendered here, by WeasyPrint, fetching nothing but our own static files.

WeasyPrint's default fetcher follows any URL in the HTML: `file:///etc/passwd` as an image or as an
attachment (`<link rel="attachment">` embeds the file in the PDF), `http://127.0.0.1:…` reaching the
machine's services. Templates escape what people type, so such markup should never reach the HTML; this
fetcher is the second wall: a URL is served only when it names a file of the portal's static files.
"""

import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)

# Tagged PDF for screen readers (WeasyPrint ≥ 59 supports the PDF/UA-1 variant).
PDF_VARIANT = "pdf/ua-1"

# Relative URLs in a template (`{% static %}` gives "/static/…") resolve against this origin, which
# names no machine (`.invalid` is reserved, RFC 2606): only the fetcher below can answer for it.
BASE_URL = "https://guichet-rpe.invalid/"


class RessourceRefusee(ValueError):
    """A URL the PDF may not fetch. WeasyPrint logs it and renders without the resource."""


def _fichier_statique(url: str) -> str:
    """The path of the static file `url` names, or RessourceRefusee."""
    morceaux = urlsplit(url)
    origine = urlsplit(BASE_URL)
    if (morceaux.scheme, morceaux.netloc) != (origine.scheme, origine.netloc):
        raise RessourceRefusee(f"adresse extérieure au portail refusée : {url[:200]}")
    chemin = unquote(morceaux.path)
    if not chemin.startswith(settings.STATIC_URL):
        raise RessourceRefusee(f"seuls les fichiers statiques du portail sont servis : {url[:200]}")
    relatif = chemin.removeprefix(settings.STATIC_URL)
    if not relatif or relatif != posixpath.normpath(relatif) or relatif.startswith(("/", "..")):
        raise RessourceRefusee(f"chemin refusé : {url[:200]}")
    trouve = finders.find(relatif)
    if not trouve:
        raise RessourceRefusee(f"fichier statique inconnu : {relatif[:200]}")
    return trouve


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FetcherStatique(URLFetcher):
        def fetch(self, url, headers=None):
            try:
                chemin = _fichier_statique(url)
            except RessourceRefusee:
                logger.warning("PDF: resource refused", extra={"url": url[:200]})
                raise
            type_mime = mimetypes.guess_type(chemin)[0] or "application/octet-stream"
            with open(chemin, "rb") as fichier:
                return URLFetcherResponse(url, fichier.read(), {"Content-Type": type_mime})

    return FetcherStatique()


def rendre_pdf(html: str) -> bytes:
    from weasyprint import HTML  # ~1 s to import: only where a PDF is made

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf(pdf_variant=PDF_VARIANT)
