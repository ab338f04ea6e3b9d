"""What must hold after any submission: no server error, errors in French and visible, nothing saved on error."""

import hashlib
import re
import unicodedata

from django.apps import apps
from django.contrib import messages
from django.db import connection
from django.forms import BaseForm, BaseFormSet

from tests.fuzz.html import texte_visible

# Tables that a refused submission may still write: the audit trail of staff reads (a re-rendered page is a
# read), sessions, django-axes' failed-login records (the lockout is the point).
APPS_SUIVIES = {
    "comptes",
    "relais",
    "assmats",
    "demandes",
    "formation",
    "insertion",
    "tiers_payant",
    "indicateurs",
    "portail",
    "rgpd",
    "account",
    "mfa",
}

# Words of Django's and allauth's English defaults that French messages never contain.
ANGLAIS = re.compile(
    r"\b(this|the|field|enter|ensure|select|must|should|cannot|please|invalid|required|characters|whole|"
    r"password|valid|choice|submitted|value|number|greater|less|than|too|already|address)\b",
    re.IGNORECASE,
)


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in APPS_SUIVIES and model._meta.managed and not model._meta.proxy
        }
    )


def etat_de_la_base() -> dict[str, str]:
    """A fingerprint of every row of our tables, in one query: the tables hold a few rows in a test."""
    tables = _tables()
    colonnes = ", ".join(
        f"(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t)"  # noqa: S608 - table names from _meta
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {colonnes}")  # noqa: S608 - table names from _meta
        return dict(zip(tables, cursor.fetchone(), strict=True))


def tables_modifiees(avant: dict, apres: dict) -> list[str]:
    return [table for table in avant if avant[table] != apres[table]]


def erreurs_des_formulaires(reponse) -> list[str]:
    """The error messages of every bound, invalid form the page was rendered with."""
    if reponse.context is None:
        return []
    contextes = reponse.context if isinstance(reponse.context, list) else [reponse.context]
    vus, erreurs = set(), []
    for contexte in contextes:
        for valeur in contexte.flatten().values():
            formulaires = []
            if isinstance(valeur, BaseForm):
                formulaires = [valeur]
            elif isinstance(valeur, BaseFormSet) and valeur.is_bound:
                erreurs.extend(str(e) for e in valeur.non_form_errors())
                formulaires = list(valeur.forms)
            for form in formulaires:
                if id(form) in vus or not form.is_bound:
                    continue
                vus.add(id(form))
                erreurs.extend(str(e) for liste in form.errors.values() for e in liste)
    return erreurs


def messages_d_erreur(reponse) -> list[str]:
    stockage = getattr(reponse.wsgi_request, "_messages", None)
    if stockage is None:
        return []
    return [str(m) for m in stockage._queued_messages if m.level >= messages.WARNING]  # noqa: SLF001


def _propre(texte: str) -> str:
    # Control characters count as spaces on both sides: the page may show a quoted "0\r0" as "0 0".
    sans_controle = "".join(" " if unicodedata.category(c) == "Cc" else c for c in texte)
    return " ".join(sans_controle.split())


def en_anglais(texte: str, valeurs_saisies) -> str | None:
    """The English words of a message, once what the person typed (which it may quote) is taken out."""
    for valeur in sorted(valeurs_saisies, key=len, reverse=True):
        if valeur:
            texte = texte.replace(valeur, "")
    trouves = ANGLAIS.findall(texte)
    return " ".join(trouves) if trouves else None


def empreinte(texte: str) -> str:
    return hashlib.sha256(texte.encode()).hexdigest()[:8]


def verifier_reponse(reponse, *, avant, apres, valeurs_saisies, methode, decrire):
    """Checks one submission; `decrire()` names the form and what was sent, for the failure message."""
    statut = reponse.status_code
    # 429: the French "too many attempts" page (rate limits are lifted for the test, but a Redis hiccup on a
    # shared machine makes django-ratelimit fail closed).
    assert statut in {200, 302, 400, 403, 404, 405, 429}, f"{decrire()}: statut {statut}"
    erreurs = erreurs_des_formulaires(reponse)
    refus = messages_d_erreur(reponse)
    en_erreur = bool(erreurs or refus) or statut >= 400 or methode == "get"
    if en_erreur:
        modifiees = tables_modifiees(avant, apres)
        assert not modifiees, f"{decrire()}: saisie refusée (statut {statut}) mais tables modifiées {modifiees}"
    for message in erreurs + refus:
        anglais = en_anglais(message, valeurs_saisies)
        assert anglais is None, f"{decrire()}: message en anglais {message[:300]!r} ({anglais})"
    if statut == 200 and erreurs:
        visible = _propre(texte_visible(reponse.content.decode()))
        montrees = [e for e in erreurs if _propre(e) and _propre(e)[:200] in visible]
        assert montrees, f"{decrire()}: erreurs {[e[:200] for e in erreurs]} absentes de la page"
    return en_erreur
