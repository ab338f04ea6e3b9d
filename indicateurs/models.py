"""Indicators of circular C 2017-003: the relais' engagement per year, the stored figures (snapshots) and
the recomputation runs. This app writes only these tables; it reads the others (see `calculs`)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from relais.models import Departement, Relais

PRIME_EUROS = 3000


class Mission(models.IntegerChoices):
    DEMANDES_EN_LIGNE = 1, "Mission 1 – traitement des demandes d'accueil en ligne"
    ACTIVITE_ASSMATS = 2, "Mission 2 – promotion de l'activité des assistants maternels"
    FORMATION = 3, "Mission 3 – départ en formation continue des assistants maternels"


class Engagement(models.Model):
    """The missions a relais engaged in for a calendar year, and the one retained for the evaluation.

    The opening date of the online service and guichet unique (mission 1) stays on
    `Relais.date_ouverture_guichet`: it is a fact about the relais, not about the year."""

    relais = models.ForeignKey(Relais, on_delete=models.CASCADE, related_name="engagements_indicateurs")
    annee = models.PositiveSmallIntegerField("année")
    mission_1 = models.BooleanField("mission 1 engagée", default=False)
    mission_2 = models.BooleanField("mission 2 engagée", default=False)
    mission_3 = models.BooleanField("mission 3 engagée", default=False)
    mission_retenue = models.PositiveSmallIntegerField("mission retenue pour l'évaluation", choices=Mission.choices)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The retained mission is frozen once the year's figures are shown (computed: the dashboards read them);
    # a later change needs a reason, is kept in the history and flagged on the report.
    retenue_modifiee_apres_affichage_le = models.DateTimeField(
        "mission retenue modifiée après l'affichage des chiffres le", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "engagement d'un relais"
        verbose_name_plural = "engagements des relais"
        ordering = ["relais__nom", "-annee"]
        constraints = [
            models.UniqueConstraint(
                fields=["relais", "annee"],
                name="engagement_unique_par_annee",
                violation_error_message="Les engagements de ce relais pour cette année sont déjà enregistrés.",
            ),
            models.CheckConstraint(
                condition=Q(mission_1=True) | Q(mission_2=True) | Q(mission_3=True),
                name="engagement_au_moins_une_mission",
                violation_error_message="Choisissez au moins une mission.",
            ),
            models.CheckConstraint(
                condition=Q(mission_retenue=1, mission_1=True)
                | Q(mission_retenue=2, mission_2=True)
                | Q(mission_retenue=3, mission_3=True),
                name="engagement_mission_retenue_engagee",
                violation_error_message="La mission retenue doit faire partie des missions choisies.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relais} – {self.annee}"

    @property
    def missions(self) -> list[int]:
        return [n for n, engagee in ((1, self.mission_1), (2, self.mission_2), (3, self.mission_3)) if engagee]


class HistoriqueEngagement(models.Model):
    """Every saved state of an engagement, with who saved it: the CAF's decision trail."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="historique")
    missions = ArrayField(models.PositiveSmallIntegerField(), verbose_name="missions engagées")
    mission_retenue = models.PositiveSmallIntegerField("mission retenue", choices=Mission.choices)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    motif = models.TextField("motif du changement", blank=True)
    apres_affichage = models.BooleanField("mission retenue changée après l'affichage des chiffres", default=False)
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "historique d'un engagement"
        verbose_name_plural = "historique des engagements"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.engagement} : {self.missions} (retenue {self.mission_retenue})"


class Snapshot(models.Model):
    """One indicator of one relais for one year, as last computed, with the record ids behind it.

    Holds no names: it is kept when the requests it counts are anonymised."""

    relais = models.ForeignKey(Relais, on_delete=models.CASCADE, related_name="snapshots_indicateurs")
    annee = models.PositiveSmallIntegerField("année")
    code = models.CharField("indicateur", max_length=40)
    numerateur = models.IntegerField("numérateur")
    denominateur = models.IntegerField("dénominateur", null=True, blank=True)
    valeur = models.DecimalField("valeur", max_digits=12, decimal_places=4, null=True, blank=True)
    cible = models.DecimalField("cible", max_digits=12, decimal_places=4, null=True, blank=True)
    atteint = models.BooleanField("atteint", null=True, blank=True)
    ids_numerateur = ArrayField(models.BigIntegerField(), default=list, blank=True)
    ids_denominateur = ArrayField(models.BigIntegerField(), default=list, blank=True)
    detail = models.JSONField("détail", default=dict, blank=True)
    empreinte = models.CharField("empreinte des données (SHA-256)", max_length=64)
    computed_at = models.DateTimeField("calculé le")

    class Meta:
        verbose_name = "indicateur calculé"
        verbose_name_plural = "indicateurs calculés"
        ordering = ["relais__nom", "-annee", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["relais", "annee", "code"],
                name="snapshot_unique",
                violation_error_message="Cet indicateur est déjà calculé pour ce relais et cette année.",
            ),
            models.CheckConstraint(
                condition=Q(numerateur__gte=0),
                name="snapshot_numerateur_positif",
                violation_error_message="Le nombre compté pour un indicateur ne peut pas être négatif.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.relais} {self.annee}"


class Calcul(models.Model):
    """A recomputation asked from the dashboard, of one relais or of a whole département, so that its progress
    can be shown: the page polls this row (a cheap read) until the task ends."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "en attente"
        EN_COURS = "en_cours", "en cours"
        TERMINE = "termine", "terminé"
        ECHEC = "echec", "échec"

    relais = models.ForeignKey(
        Relais, on_delete=models.CASCADE, null=True, blank=True, related_name="calculs_indicateurs"
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.CASCADE, null=True, blank=True, related_name="calculs_indicateurs"
    )
    annee = models.PositiveSmallIntegerField("année")
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    empreinte = models.CharField(max_length=64, blank=True)
    erreur = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    commence_le = models.DateTimeField("commencé le", null=True, blank=True)
    termine_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "calcul d'indicateurs"
        verbose_name_plural = "calculs d'indicateurs"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statut__in=["en_attente", "en_cours", "termine", "echec"]),
                name="calcul_statut_connu",
                violation_error_message="Cet état de calcul n'est pas reconnu.",
            ),
            models.CheckConstraint(
                condition=Q(relais__isnull=False, departement__isnull=True)
                | Q(relais__isnull=True, departement__isnull=False),
                name="calcul_relais_ou_departement",
                violation_error_message="Un calcul porte sur un relais ou sur un département, pas les deux.",
            ),
        ]

    def __str__(self) -> str:
        return f"Calcul {self.relais or self.departement} {self.annee} ({self.get_statut_display()})"

    @property
    def fini(self) -> bool:
        return self.statut in (self.Statut.TERMINE, self.Statut.ECHEC)
