"""Partners of the demo: France Travail Montpellier refers job seekers to RPE Montpellier Nord, with their consent;
one referral is urgent and already taken by the relais, so that the adviser's page shows a status that moved."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from comptes.models import Role, User
from demandes import services as demandes
from orientations.models import MembrePartenaire, Partenaire, TypePartenaire
from orientations.services import DonneesOrientation, orienter
from portail.demo import DEMO_DOMAIN, DEMO_PASSWORD
from relais.models import Relais

FAMILLES = [
    # prénom, nom, enfant, âge de l'enfant en jours, urgence, motifs
    ("Samia", "Benali", "Nour", 400, "entretien", ["recherche_emploi", "parent_isole"]),
    ("Kevin", "Roussel", "Lina", 250, "", ["insertion", "faibles_ressources"]),
]


def _conseillere() -> User:
    email = f"conseillere.francetravail@{DEMO_DOMAIN}"
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "role": Role.PARTENAIRE,
            "first_name": "Claire",
            "last_name": "Fabre",
            "password": make_password(DEMO_PASSWORD),
        },
    )
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@transaction.atomic
def seed_orientations(relais: list[Relais]) -> int:
    """Returns the number of referrals made (0 on a rerun)."""
    if not relais:
        return 0
    premier = relais[0]
    partenaire, _ = Partenaire.objects.get_or_create(
        nom="France Travail Montpellier", defaults={"type": TypePartenaire.FRANCE_TRAVAIL}
    )
    partenaire.relais.add(premier)
    conseillere = _conseillere()
    MembrePartenaire.objects.get_or_create(user=conseillere, defaults={"partenaire": partenaire})
    if partenaire.orientations.exists():
        return 0
    aujourd_hui = timezone.localdate()
    commune = premier.commune_siege
    faites = []
    for numero, (prenom, nom, enfant, age, urgence, motifs) in enumerate(FAMILLES, start=1):
        donnees = DonneesOrientation(
            prenom=prenom,
            nom=nom,
            email=f"famille.orientee.{numero}@{DEMO_DOMAIN}",
            telephone=f"06000000{numero:02d}",
            commune_id=commune.pk,
            code_postal=commune.codes_postaux[0],
            enfant_prenom=enfant,
            enfant_date=aujourd_hui - timedelta(days=age),
            date_debut_souhaitee=aujourd_hui + timedelta(days=3 if urgence else 45),
            urgence=bool(urgence),
            urgence_motif=urgence,
            motifs=motifs,
            consentement=True,
            consentement_le=aujourd_hui,
        )
        faites.append(orienter(par=conseillere, donnees=donnees))
    animatrice = premier.membres.order_by("pk").first()
    if animatrice is not None:
        demandes.prendre_en_charge(demande_id=faites[0].demande_id, par=animatrice.user)
    return len(faites)
