"""`{% load offre %}`: a childminder's free places in the one sentence every page uses (`_places.html`)."""

from django import template

from assmats.selectors import PlacesLibres, places_de, places_proposees

register = template.Library()


@register.inclusion_tag("assmats/_places.html")
def places(source) -> dict:
    """Free places given as `PlacesLibres`, or read from a row annotated by `avec_places_libres`."""
    return {"places": source if isinstance(source, PlacesLibres) else places_de(source)}


@register.inclusion_tag("assmats/_places.html")
def places_en_ligne(assmat) -> dict:
    """What a row of `disponibilites_affichees` shows the families."""
    return {"places": places_proposees(assmat)}
