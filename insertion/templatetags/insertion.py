"""The request page's block on its AVIP places and PEPIT parcours (`{% insertion_de_la_demande demande %}` in
`demandes/detail.html`): `demandes` cannot import this app, so the block fetches its own data."""

from django import template
from django.utils import timezone

from demandes.permissions import est_de_l_equipe
from insertion import forms, selectors
from insertion.permissions import attributions_de_la_demande_vue, parcours_de_la_demande_vue

register = template.Library()


@register.inclusion_tag("insertion/_demande.html", takes_context=True)
def insertion_de_la_demande(context, demande):
    """`demande` is the page's, read through `demandes_for_user`. Only the forms the block shows are built, and
    the crèches are looked up only for a family an AVIP place is for: the request page is the staff's second
    hottest."""
    user = context["request"].user
    aujourd_hui = timezone.localdate()
    equipe = est_de_l_equipe(user)
    attributions = list(selectors.list_attributions_de_la_demande(attributions_de_la_demande_vue(demande)))
    parcours = list(selectors.list_parcours_de_la_demande(parcours_de_la_demande_vue(demande)))
    en_cours = next((a for a in attributions if a.statut == a.Statut.EN_COURS), None)
    ouvert = next((p for p in parcours if p.statut == p.Statut.OUVERT), None)
    contexte = {
        "demande": demande,
        "equipe": equipe,
        "csrf_token": context.get("csrf_token"),
        "attributions": [(a, selectors.periodes(a)) for a in attributions],
        "place_en_cours": en_cours,
        "parcours": parcours,
        "parcours_ouvert": ouvert,
        "prochain_contact": selectors.prochain_contact(ouvert, aujourd_hui=aujourd_hui) if ouvert else None,
        "publics": [],
        "en_insertion": False,
    }
    if not equipe:
        return contexte
    contexte["publics"] = selectors.publics_pepit(demande, le=aujourd_hui)
    contexte["en_insertion"] = selectors.parent_en_insertion(demande)
    if en_cours:
        contexte["form_fin_avip"] = forms.TerminerAvipForm(prefix="fin_avip")
    elif contexte["en_insertion"]:
        structures = selectors.structures_avip_for_user(user, relais_id=demande.relais_id)
        contexte["form_avip"] = forms.AttribuerAvipForm(prefix="avip", structures=structures)
        contexte["avec_structures_avip"] = contexte["form_avip"].lire_les_creches()
    if ouvert:
        contexte["form_contact"] = forms.ContactForm(prefix="contact")
        contexte["form_cloture"] = forms.CloturerParcoursForm(prefix="cloture")
    elif contexte["publics"]:
        contexte["form_parcours"] = forms.OuvrirParcoursForm(prefix="parcours")
    return contexte
