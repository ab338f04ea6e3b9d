"""`{% load telephone %}`: a phone number written the French way, and its `tel:` link."""

from django import template
from django.utils.html import conditional_escape, format_html

from comptes.champs import telephone_lien, telephone_lisible

register = template.Library()


@register.filter
def telephone(numero: str) -> str:
    """« 04 67 12 34 56 », a link that dials it on a phone; the number as typed when it is not a French one."""
    if not numero:
        return ""
    lien = telephone_lien(numero)
    if not lien:
        return conditional_escape(numero)
    return format_html('<a href="{}">{}</a>', lien, telephone_lisible(numero))
