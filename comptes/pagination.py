"""Pages of a long list in one query.

Django's `Paginator` counts the rows in one query and reads the page in a second: both compile and run the same
filters. On the public search the filters are the availability rules (agrément, consent, derived places,
several subqueries), and the count cost 4.5 ms of CPU and 9 ms of database time a page. Here the page's own
query carries the total (`COUNT(*) OVER ()`), and the count query runs only when the page asked is empty.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "total_de_la_liste"


def page_en_une_requete(queryset: QuerySet, numero, par_page: int) -> Page:
    """`Paginator(queryset, par_page).get_page(numero)`, same page and same answers to a bad number (not a
    number: the first page; past the end or below 1: the last page), in one query when the page has rows.
    `queryset` must be ordered; its rows (instances or `values()` dicts) carry the total as `TOTAL`."""
    paginator = Paginator(queryset, par_page)
    try:
        numero = int(numero)
    except (TypeError, ValueError):
        numero = 1
    # With DISTINCT the window would count the rows before duplicates are removed.
    if numero >= 1 and not queryset.query.distinct:
        debut = (numero - 1) * par_page
        lignes = list(queryset.annotate(**{TOTAL: Window(Count("pk"))})[debut : debut + par_page])
        if lignes:
            premiere = lignes[0]
            # `count` is a cached property: the total read is the one every page link is computed from.
            paginator.count = premiere[TOTAL] if isinstance(premiere, dict) else getattr(premiere, TOTAL)
            return Page(lignes, numero, paginator)
        if numero == 1:
            paginator.count = 0
            return Page([], 1, paginator)
    return paginator.get_page(numero)
