"""The staff welcome e-mail: what the portal is, where the person works and as what, and a link to choose
a password (a real reset token, valid PASSWORD_RESET_TIMEOUT), on SITE_URL. Sent once."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from comptes.adapters import NOM_DU_PORTAIL
from comptes.models import STAFF_ROLES, User
from comptes.texte import une_ligne
from courriels.services import mettre_en_file


def lien_pour_choisir_son_mot_de_passe(user: User) -> str:
    """allauth's own reset link, so its page checks the token and its expiry."""
    chemin = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.SITE_URL + chemin


def _rattachements(user: User) -> list[str]:
    """Read through the user's reverse relations: `comptes` imports no app of ours, the rows point to it."""
    relais = [une_ligne(m.relais.nom) for m in user.relais_membre.select_related("relais").order_by("relais__nom")]
    cafs = [
        une_ligne(a.departement.nom_caf or f"CAF {a.departement.nom}")
        for a in user.departements_caf.select_related("departement").order_by("departement__code")
    ]
    # One organisation per partner's account (a one-to-one link): absent for every other account.
    membre = getattr(user, "membre_partenaire", None)
    return relais + cafs + ([une_ligne(membre.partenaire.nom)] if membre is not None else [])


@transaction.atomic
def envoyer_bienvenue(*, user_id: int, renvoyer: bool = False) -> bool:
    """`renvoyer`: the admin asks again (the link expired); otherwise a welcome already sent is not repeated."""
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or user.role not in STAFF_ROLES or (user.bienvenue_envoyee_le and not renvoyer):
        return False
    validite = settings.PASSWORD_RESET_TIMEOUT // 3600
    context = {
        "user": user,
        "portail": NOM_DU_PORTAIL,
        "site_url": settings.SITE_URL,
        "role": user.get_role_display(),
        "rattachements": _rattachements(user),
        "lien": lien_pour_choisir_son_mot_de_passe(user),
        "validite": f"{validite // 24} jours" if validite % 24 == 0 else f"{validite} heures",
    }
    sujet = une_ligne(render_to_string("comptes/emails/bienvenue_sujet.txt", context))
    corps = render_to_string("comptes/emails/bienvenue.txt", context)
    mettre_en_file(destinataire=user.email, sujet=sujet, corps=corps)
    user.bienvenue_envoyee_le = timezone.now()
    user.save(update_fields=["bienvenue_envoyee_le"])
    return True
