"""Partners who identify families (France Travail, social services) and the families they refer to the relais.

A referral (`Orientation`) is the family's request itself (`demandes.Demande`, source « orientation »), filed on
its behalf with its consent: the queue, the 24 h rule for urgent needs and the indicators treat it like any
other request. This app keeps who referred it, the family's consent, and what the partner may see of it.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from demandes.models import Demande, Statut
from relais.models import Relais


class TypePartenaire(models.TextChoices):
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    SERVICE_SOCIAL = "service_social", "Service social du département"
    CCAS = "ccas", "CCAS"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    AUTRE = "autre", "Autre"


class Partenaire(models.Model):
    """An organisation that refers families; it may refer them to the relais listed only (its territory)."""

    nom = models.CharField("nom", max_length=150, unique=True)
    type = models.CharField("type", max_length=20, choices=TypePartenaire.choices)
    relais = models.ManyToManyField(
        Relais, related_name="partenaires", verbose_name="relais auxquels il oriente des familles"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "organisme partenaire"
        verbose_name_plural = "organismes partenaires"
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=TypePartenaire.values),
                name="partenaire_type_connu",
                violation_error_message="Ce type de partenaire n'existe pas.",
            ),
        ]

    def __str__(self) -> str:
        return self.nom


class MembrePartenaire(models.Model):
    """A partner's adviser (role `partenaire`); one organisation per account, so that « its referrals » is clear."""

    partenaire = models.ForeignKey(Partenaire, on_delete=models.CASCADE, related_name="membres")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membre_partenaire", verbose_name="compte"
    )
    created_at = models.DateTimeField("rattaché·e le", auto_now_add=True)

    class Meta:
        verbose_name = "conseiller·ère d'un partenaire"
        verbose_name_plural = "conseillers des partenaires"
        ordering = ["partenaire__nom", "user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.partenaire})"


class MotifOrientation(models.TextChoices):
    RECHERCHE_EMPLOI = "recherche_emploi", "Demandeur·se d'emploi"
    FORMATION = "formation", "Entrée en formation"
    INSERTION = "insertion", "Parcours d'insertion"
    PARENT_ISOLE = "parent_isole", "Parent isolé"
    FAIBLES_RESSOURCES = "faibles_ressources", "Faibles ressources (RSA, QF < 700 €)"


class StatutVisible(models.TextChoices):
    """What the partner sees of the request's progress: never its content."""

    RECUE = "recue", "Reçue"
    PRISE_EN_CHARGE = "prise_en_charge", "Prise en charge"
    RDV_PROPOSE = "rdv_propose", "Rendez-vous proposé"
    SOLUTION_TROUVEE = "solution_trouvee", "Solution trouvée"
    CLOSE = "close", "Sans solution ou close"


STATUT_VISIBLE = {
    Statut.NOUVELLE: StatutVisible.RECUE,
    Statut.PRISE_EN_CHARGE: StatutVisible.PRISE_EN_CHARGE,
    Statut.RDV_PROPOSE: StatutVisible.RDV_PROPOSE,
    # Proposals are the relais' work with the family: the partner only knows it is under way.
    Statut.RDV_REALISE: StatutVisible.RDV_PROPOSE,
    Statut.PROPOSITIONS_FAITES: StatutVisible.RDV_PROPOSE,
    Statut.SOLUTION_TROUVEE: StatutVisible.SOLUTION_TROUVEE,
    Statut.SANS_SOLUTION: StatutVisible.CLOSE,
    Statut.RETIREE: StatutVisible.CLOSE,
    Statut.CLOTUREE: StatutVisible.CLOSE,
}


class Orientation(models.Model):
    partenaire = models.ForeignKey(
        Partenaire, on_delete=models.PROTECT, related_name="orientations", verbose_name="partenaire"
    )
    orientee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orientations_faites",
        verbose_name="orientée par",
    )
    demande = models.OneToOneField(
        Demande, on_delete=models.PROTECT, related_name="orientation", verbose_name="demande d'accueil"
    )
    # What the adviser typed, so that their list names the family as they know it (the account may say otherwise).
    famille_prenom = models.CharField("prénom du parent", max_length=150)
    famille_nom = models.CharField("nom du parent", max_length=150)
    motifs = ArrayField(
        models.CharField(max_length=20, choices=MotifOrientation.choices),
        verbose_name="motifs de l'orientation",
        default=list,
        blank=True,
    )
    consentement_le = models.DateField(
        "accord de la famille pour être contactée par le relais, donné le",
        help_text="Sans cet accord, l'orientation est refusée.",
    )
    created_at = models.DateTimeField("orientée le", auto_now_add=True)
    anonymise_le = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "orientation d'une famille"
        verbose_name_plural = "orientations des familles"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partenaire} → {self.demande_id}"

    @property
    def statut_visible(self) -> StatutVisible:
        return STATUT_VISIBLE[self.demande.statut]

    @property
    def libelles_motifs(self) -> list[str]:
        return [MotifOrientation(m).label for m in self.motifs]
