from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models


class Departement(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    nom = models.CharField("nom", max_length=100)
    nom_caf = models.CharField("CAF du département", max_length=150, blank=True)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.nom}"


class Epci(models.Model):
    code = models.CharField("SIREN", max_length=9, unique=True)
    nom = models.CharField("nom", max_length=200)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class Commune(models.Model):
    code_insee = models.CharField("code INSEE", max_length=5, unique=True)
    nom = models.CharField("nom", max_length=150)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes")
    codes_postaux = ArrayField(models.CharField(max_length=5), verbose_name="codes postaux", default=list, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    latitude = models.DecimalField("latitude", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["nom", "code_insee"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code_insee__regex=r"^[0-9][0-9AB][0-9]{3}$"),
                name="commune_code_insee_format",
                violation_error_message="Le code INSEE doit compter 5 caractères (par exemple 75056 ou 2A004).",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__range=(-90, 90),
                    longitude__range=(-180, 180),
                ),
                name="commune_coordonnees_completes",
                violation_error_message=(
                    "Indiquez la latitude et la longitude ensemble, avec des valeurs valides, ou aucune des deux."
                ),
            ),
        ]
        indexes = [models.Index(fields=["departement", "nom"])]

    def __str__(self) -> str:
        postal = self.codes_postaux[0] if self.codes_postaux else self.code_insee
        return f"{self.nom} ({postal})"


class Relais(models.Model):
    nom = models.CharField("nom", max_length=200)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="relais")
    adresse = models.CharField("adresse", max_length=250)
    commune_siege = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name="commune du siège"
    )
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("e-mail", blank=True)
    communes = models.ManyToManyField(
        Commune, through="CommuneDuTerritoire", related_name="relais", verbose_name="territoire"
    )
    date_ouverture_guichet = models.DateField(
        "ouverture du service en ligne et du guichet unique",
        null=True,
        blank=True,
        help_text="Sert à l'indicateur de la mission 1 de la circulaire C 2017-003.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "relais petite enfance"
        verbose_name_plural = "relais petite enfance"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "nom"],
                name="relais_nom_unique_par_departement",
                violation_error_message="Un relais porte déjà ce nom dans ce département.",
            )
        ]

    def __str__(self) -> str:
        return self.nom


class CommuneDuTerritoire(models.Model):
    """A commune is served by one relais at most: the guichet unique has one door per family."""

    relais = models.ForeignKey(Relais, on_delete=models.CASCADE, related_name="territoire")
    commune = models.OneToOneField(Commune, on_delete=models.PROTECT, related_name="territoire")

    class Meta:
        verbose_name = "commune du territoire"
        verbose_name_plural = "communes du territoire"
        ordering = ["commune__nom"]

    def __str__(self) -> str:
        return f"{self.commune} → {self.relais}"


class MembreRelais(models.Model):
    """An animateur works for one or more relais and sees only their data."""

    relais = models.ForeignKey(Relais, on_delete=models.CASCADE, related_name="membres")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relais_membre")
    fonction = models.CharField("fonction", max_length=100, default="Animatrice", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "membre de l'équipe du relais"
        verbose_name_plural = "membres des équipes des relais"
        ordering = ["relais__nom", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["relais", "user"],
                name="membre_relais_unique",
                violation_error_message="Cette personne fait déjà partie de ce relais.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.relais})"


class AgentCaf(models.Model):
    """A CAF agent sees every relais of the départements their CAF covers."""

    departement = models.ForeignKey(Departement, on_delete=models.CASCADE, related_name="agents_caf")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="departements_caf")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "agent CAF du département"
        verbose_name_plural = "agents CAF des départements"
        ordering = ["departement__code", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "user"],
                name="agent_caf_unique",
                violation_error_message="Cette personne est déjà agent CAF pour ce département.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.departement})"
