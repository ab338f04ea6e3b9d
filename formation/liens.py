"""The signed link a parent receives when the childminder declares their child affected by her training.

The childminder's file has no link to the parents' accounts; the e-mail address she gives is the link.
The token names the affected child only, so the request it opens is pre-filled with the child, the
childminder and the dates, and cannot be pointed at another child."""

from datetime import timedelta

from django.core import signing
from django.http import Http404

from formation.models import EnfantConcerne

SALT_LIEN_PARENT = "formation.lien-parent"
# Usable well after the session: a parent may ask late, and the relais still answers.
DUREE_LIEN_PARENT = timedelta(days=90)


def jeton_pour_parent(enfant: EnfantConcerne) -> str:
    return signing.dumps({"enfant": enfant.pk}, salt=SALT_LIEN_PARENT)


def enfant_du_jeton(jeton: str) -> EnfantConcerne:
    """The affected child a parent's link names; 404 for a forged, altered or expired link."""
    try:
        donnees = signing.loads(jeton, salt=SALT_LIEN_PARENT, max_age=DUREE_LIEN_PARENT)
    except signing.BadSignature:
        raise Http404("Ce lien n'est pas valide ou a expiré.") from None
    try:
        return EnfantConcerne.objects.select_related(
            "accueil", "inscription__session__organisme", "inscription__assistant_maternel__commune"
        ).get(pk=donnees["enfant"])
    except EnfantConcerne.DoesNotExist:
        raise Http404("Ce lien n'est plus valide.") from None
