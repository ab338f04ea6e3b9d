"""Tiers payant CMG conventions: the CAF pays the CMG straight to the childminder.

A convention binds the CAF, the parent(s) and the childminder. Its invariants live here as
database constraints; its transitions are in `services.py`, each writing a history row.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from relais.models import Commune, Relais

REFERENCE_REGEX = r"^TP-[0-9]{4}-[0-9]{6}$"
SHA256_REGEX = r"^[0-9a-f]{64}$"
DUREE_PAR_DEFAUT = 18


class ParametresEligibilite(models.Model):
    """Dated eligibility ceiling, editable by admins: the experiment's rule (2015-2016) is a share of
    the increased PAJE ceiling, with an increment per extra dependent child."""

    debut = models.DateField("en vigueur à partir du", unique=True)
    taux_pourcent = models.DecimalField(
        "part du plafond PAJE majoré (%)", max_digits=5, decimal_places=2, default=Decimal("29.25")
    )
    plafond_paje_majore = models.DecimalField(
        "plafond PAJE majoré pour un enfant (€ par an)", max_digits=10, decimal_places=2
    )
    majoration_par_enfant = models.DecimalField(
        "majoration du plafond PAJE par enfant supplémentaire (€ par an)", max_digits=10, decimal_places=2
    )
    source = models.TextField("source")

    class Meta:
        verbose_name = "paramètres d'éligibilité au tiers payant"
        verbose_name_plural = "paramètres d'éligibilité au tiers payant"
        ordering = ["-debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taux_pourcent__gt=0, taux_pourcent__lte=100),
                name="eligibilite_taux_pourcentage",
                violation_error_message="Le taux doit être supérieur à 0 et au plus égal à 100 pour cent.",
            ),
            models.CheckConstraint(
                condition=Q(plafond_paje_majore__gt=0, majoration_par_enfant__gte=0),
                name="eligibilite_plafonds_positifs",
                violation_error_message=(
                    "Le plafond doit être positif et la majoration par enfant ne peut pas être négative."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Plafond du tiers payant à partir du {self.debut:%d/%m/%Y}"

    # Default period: the Hérault figures of the experiment (13 277 € for one child, 1 885 € per extra
    # child) are 29.25 % of these PAJE amounts, to the euro.
    DEFAUT = {
        "debut": date(2015, 1, 1),
        "taux_pourcent": Decimal("29.25"),
        "plafond_paje_majore": Decimal("45392.00"),
        "majoration_par_enfant": Decimal("6444.00"),
        "source": "Expérimentation du tiers payant du CMG (2015-2016, 11 départements) : ressources jusqu'à "
        "29,25 % du plafond majoré de la PAJE, soit 13 277 € par an pour un enfant et 1 885 € par enfant "
        "supplémentaire dans l'Hérault.",
    }

    @classmethod
    def en_vigueur(cls, au: date) -> "ParametresEligibilite":
        """The period covering `au`; the experiment's default is created when the table is empty."""
        if not cls.objects.exists():
            cls.objects.get_or_create(debut=cls.DEFAUT["debut"], defaults=cls.DEFAUT)
        parametres = cls.objects.filter(debut__lte=au).order_by("-debut").first()
        return parametres or cls.objects.order_by("debut").first()

    def plafond_annuel(self, enfants_a_charge: int) -> Decimal:
        plafond_paje = self.plafond_paje_majore + max(0, enfants_a_charge - 1) * self.majoration_par_enfant
        return (plafond_paje * self.taux_pourcent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)


class CompteurReference(models.Model):
    """Last reference number given in a year; the row is locked by the upsert that increments it."""

    annee = models.PositiveSmallIntegerField(primary_key=True)
    dernier = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "compteur de références de conventions"

    def __str__(self) -> str:
        return f"{self.annee} : {self.dernier}"


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    ENVOYEE = "envoyee", "Envoyée pour signature"
    SIGNEE = "signee", "Signée"
    ACTIVE = "active", "Active"
    TERMINEE = "terminee", "Terminée"
    RESILIEE = "resiliee", "Résiliée"


# The convention's life, declared once: (from, to) → the service that makes the move. Each service refuses a
# convention whose status is not a start of its moves (`services.exiger_transition`); the pages ask
# `selectors.actions_possibles` what a person may do now; tests/tiers_payant/test_cycle_de_vie.py walks the table.
# The daily job (`services.mettre_a_jour_statuts`) makes the moves of `activer_convention` and
# `terminer_convention` when the dates come.
TRANSITIONS = {
    # Changing a term voids the signatures: the convention goes back to draft.
    (Statut.BROUILLON, Statut.BROUILLON): "modifier_convention",
    (Statut.ENVOYEE, Statut.BROUILLON): "modifier_convention",
    (Statut.SIGNEE, Statut.BROUILLON): "modifier_convention",
    (Statut.BROUILLON, Statut.ENVOYEE): "envoyer_pour_signature",
    # Each party signs; the last signature makes it signed.
    (Statut.ENVOYEE, Statut.ENVOYEE): "signer_convention",
    (Statut.ENVOYEE, Statut.SIGNEE): "signer_convention",
    (Statut.SIGNEE, Statut.ACTIVE): "activer_convention",
    (Statut.ACTIVE, Statut.TERMINEE): "terminer_convention",
    (Statut.BROUILLON, Statut.RESILIEE): "resilier_convention",
    (Statut.ENVOYEE, Statut.RESILIEE): "resilier_convention",
    (Statut.SIGNEE, Statut.RESILIEE): "resilier_convention",
    (Statut.ACTIVE, Statut.RESILIEE): "resilier_convention",
}


def statuts_de_depart(service: str) -> frozenset[str]:
    """The statuses a service may start from, read from `TRANSITIONS`."""
    return frozenset(de for (de, _vers), nom in TRANSITIONS.items() if nom == service)


STATUTS_MODIFIABLES = tuple(statut for statut in Statut if statut in statuts_de_depart("modifier_convention"))
STATUTS_FINAUX = (Statut.TERMINEE, Statut.RESILIEE)


class Partie(models.TextChoices):
    CAF = "caf", "CAF"
    PARENT = "parent", "Parent"
    PARENT2 = "parent2", "Second parent"
    ASSMAT = "assmat", "Assistant·e maternel·le"


def date_de_fin(debut: date, duree_mois: int) -> date:
    """Last day covered: 18 months from 1 March end on 31 August of the next year."""
    return debut + relativedelta(months=duree_mois) - relativedelta(days=1)


class Convention(models.Model):
    reference = models.CharField("référence", max_length=14, unique=True)
    relais = models.ForeignKey(Relais, on_delete=models.PROTECT, related_name="conventions_tiers_payant")
    statut = models.CharField("statut", max_length=12, choices=Statut.choices, default=Statut.BROUILLON)

    # The family: one or two guardians, each with their own account (separated parents).
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conventions_parent", verbose_name="parent"
    )
    parent2 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conventions_parent2",
        null=True,
        blank=True,
        verbose_name="second parent",
    )
    commune_famille = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name="commune de la famille"
    )
    enfant_prenom = models.CharField("prénom de l'enfant", max_length=100)
    enfant_naissance = models.DateField("date de naissance de l'enfant")

    assistant_maternel = models.ForeignKey(
        "assmats.AssistantMaternel",
        on_delete=models.PROTECT,
        related_name="conventions_tiers_payant",
        verbose_name="assistant·e maternel·le",
    )
    numero_agrement = models.CharField(
        "numéro d'agrément", max_length=30, blank=True, help_text="Copié de l'agrément à l'envoi pour signature."
    )

    date_debut = models.DateField("date de début")
    duree_mois = models.PositiveSmallIntegerField("durée (mois)", default=DUREE_PAR_DEFAUT)
    date_fin = models.DateField("date de fin prévue")

    heures_mensuelles = models.DecimalField("heures d'accueil par mois", max_digits=5, decimal_places=2)
    salaire_horaire = models.DecimalField("salaire horaire net (€)", max_digits=6, decimal_places=2)
    indemnites_entretien = models.DecimalField(
        "indemnités d'entretien par mois (€)", max_digits=7, decimal_places=2, default=Decimal(0)
    )
    indemnites_repas = models.DecimalField(
        "indemnités de repas par mois (€)", max_digits=7, decimal_places=2, default=Decimal(0)
    )

    ressources_mensuelles = models.DecimalField("ressources mensuelles du foyer (€)", max_digits=10, decimal_places=2)
    enfants_a_charge = models.PositiveSmallIntegerField("enfants à charge", default=1)
    parent_isole = models.BooleanField("parent isolé", default=False)
    rsa = models.BooleanField("bénéficiaire du RSA", default=False)
    aeeh = models.BooleanField("un enfant du foyer perçoit l'AEEH", default=False)
    aah = models.BooleanField("un parent perçoit l'AAH", default=False)

    cmg_estime = models.DecimalField("CMG estimé par mois (€)", max_digits=8, decimal_places=2)
    reste_estime = models.DecimalField("reste à charge estimé par mois (€)", max_digits=8, decimal_places=2)
    # The engine's intermediate values at preparation (JSON of strings), printed in the PDF.
    calcul_cmg = models.JSONField("détail du calcul du CMG", default=dict)

    signee_le = models.DateTimeField("signée par toutes les parties le", null=True, blank=True)
    activee_le = models.DateTimeField("activée le", null=True, blank=True)
    date_fin_effective = models.DateField("fin effective", null=True, blank=True)
    motif_fin = models.TextField("motif de fin", blank=True)
    # Set once the personal data are blanked, after the legal retention period; never twice.
    anonymise_le = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="préparée par"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "convention de tiers payant"
        verbose_name_plural = "conventions de tiers payant"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference__regex=REFERENCE_REGEX),
                name="convention_reference_format",
                violation_error_message="La référence de la convention n'a pas le format attendu.",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=Statut.values),
                name="convention_statut_connu",
                violation_error_message="Cet état de convention n'est pas reconnu.",
            ),
            models.CheckConstraint(
                condition=~Q(parent2=F("parent")),
                name="convention_deux_parents_distincts",
                violation_error_message="Le second parent doit être une autre personne que le premier.",
            ),
            models.CheckConstraint(
                condition=Q(duree_mois__gte=1, duree_mois__lte=36),
                name="convention_duree_1_a_36_mois",
                violation_error_message="La durée de la convention doit être comprise entre 1 et 36 mois.",
            ),
            models.CheckConstraint(
                condition=Q(date_fin__gt=F("date_debut")),
                name="convention_dates_coherentes",
                violation_error_message="La date de fin de la convention doit suivre sa date de début.",
            ),
            models.CheckConstraint(
                condition=Q(heures_mensuelles__gt=0, heures_mensuelles__lte=300),
                name="convention_heures_0_300",
                violation_error_message="Le nombre d'heures mensuelles doit être supérieur à 0 et au plus égal à 300.",
            ),
            models.CheckConstraint(
                condition=Q(salaire_horaire__gt=0),
                name="convention_salaire_positif",
                violation_error_message="Le salaire horaire doit être supérieur à 0.",
            ),
            models.CheckConstraint(
                condition=Q(indemnites_entretien__gte=0, indemnites_repas__gte=0, ressources_mensuelles__gte=0),
                name="convention_montants_positifs",
                violation_error_message="Les indemnités et les ressources ne peuvent pas être négatives.",
            ),
            models.CheckConstraint(
                condition=Q(enfants_a_charge__gte=1),
                name="convention_au_moins_un_enfant",
                violation_error_message="Indiquez au moins un enfant à charge.",
            ),
            models.CheckConstraint(
                condition=Q(cmg_estime__gte=0, reste_estime__gte=0),
                name="convention_estimation_positive",
                violation_error_message="L'estimation du complément et du reste à charge ne peut pas être négative.",
            ),
            # Signed (and later) conventions know when the last party signed; drafts do not.
            models.CheckConstraint(
                condition=Q(statut__in=[Statut.BROUILLON, Statut.ENVOYEE], signee_le__isnull=True)
                | Q(statut__in=[Statut.SIGNEE, Statut.ACTIVE, Statut.TERMINEE], signee_le__isnull=False)
                | Q(statut=Statut.RESILIEE),
                name="convention_signee_le_selon_statut",
                violation_error_message=(
                    "Une convention signée doit avoir une date de signature, et une convention non signée n'en a pas."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(statut__in=STATUTS_FINAUX) | Q(date_fin_effective__isnull=False),
                name="convention_fin_effective_si_finie",
                violation_error_message="Une convention terminée ou résiliée doit avoir une date de fin effective.",
            ),
            models.CheckConstraint(
                condition=~Q(statut=Statut.RESILIEE) | ~Q(motif_fin=""),
                name="convention_resiliation_motivee",
                violation_error_message="Indiquez le motif de la résiliation.",
            ),
        ]
        indexes = [models.Index(fields=["relais", "statut"])]

    def __str__(self) -> str:
        return f"{self.reference} – {self.enfant_prenom}"

    def save(self, *args, **kwargs):
        # The end date is derived, never typed.
        self.date_fin = date_de_fin(self.date_debut, self.duree_mois)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"date_debut", "duree_mois"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "date_fin"}
        super().save(*args, **kwargs)

    @property
    def indemnites_mensuelles(self) -> Decimal:
        return self.indemnites_entretien + self.indemnites_repas

    @property
    def cout_mensuel_estime(self) -> Decimal:
        return (self.heures_mensuelles * self.salaire_horaire + self.indemnites_mensuelles).quantize(Decimal("0.01"))

    def parties_attendues(self) -> list[str]:
        parties = [Partie.CAF, Partie.PARENT]
        if self.parent2_id:
            parties.append(Partie.PARENT2)
        parties.append(Partie.ASSMAT)
        return parties

    @property
    def modifiable(self) -> bool:
        return self.statut in STATUTS_MODIFIABLES


class DocumentConvention(models.Model):
    """A rendered PDF of the convention, kept as bytes in the database: written in the same transaction
    as the signature it records, never reachable through a public media URL, and small (tens of KB)."""

    class Nature(models.TextChoices):
        A_SIGNER = "a_signer", "Document soumis à signature"
        SIGNE = "signe", "Convention signée"

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="documents")
    nature = models.CharField("nature", max_length=10, choices=Nature.choices)
    contenu = models.BinaryField("PDF")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    taille = models.PositiveIntegerField("taille (octets)")
    # Set once the parties are invited to sign this document: a retried task never e-mails them twice.
    invitations_envoyees_le = models.DateTimeField("invitations à signer envoyées le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document de convention"
        verbose_name_plural = "documents de convention"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=SHA256_REGEX),
                name="document_sha256_format",
                violation_error_message="L'empreinte du document n'a pas le format attendu.",
            ),
            models.CheckConstraint(
                condition=Q(nature__in=["a_signer", "signe"]),
                name="document_nature_connue",
                violation_error_message="Ce type de document n'est pas reconnu.",
            ),
            # One signed document per convention: once signed, the PDF does not change.
            models.UniqueConstraint(
                fields=["convention"],
                condition=Q(nature="signe"),
                name="document_signe_unique_par_convention",
                violation_error_message="Cette convention a déjà un document signé.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} {self.convention.reference} ({self.sha256[:12]}…)"


class SignatureConvention(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="signatures")
    partie = models.CharField("partie", max_length=10, choices=Partie.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("signée le")
    document_sha256 = models.CharField("empreinte SHA-256 du document signé", max_length=64)
    # Voided signatures are kept for the record, not deleted.
    annulee_le = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "signature de convention"
        verbose_name_plural = "signatures de convention"
        ordering = ["signed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document_sha256__regex=SHA256_REGEX),
                name="signature_sha256_format",
                violation_error_message="L'empreinte du document signé n'a pas le format attendu.",
            ),
            models.CheckConstraint(
                condition=Q(partie__in=Partie.values),
                name="signature_partie_connue",
                violation_error_message="Ce signataire n'est pas reconnu.",
            ),
            models.UniqueConstraint(
                fields=["convention", "partie"],
                condition=Q(annulee_le__isnull=True),
                name="signature_une_par_partie_en_vigueur",
                violation_error_message="Cette partie a déjà signé la convention.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_partie_display()} – {self.convention.reference}"


class HistoriqueConvention(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="historique")
    de = models.CharField("de", max_length=12, choices=Statut.choices, blank=True)
    vers = models.CharField("vers", max_length=12, choices=Statut.choices)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField("note", blank=True)
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "historique de convention"
        verbose_name_plural = "historiques de convention"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.convention.reference} : {self.de or '∅'} → {self.vers}"


class ReleveMensuel(models.Model):
    """A month of care: declared by the childminder, confirmed by a parent; the CMG of that month is
    computed by the engine and is what the CAF pays to the childminder."""

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="releves")
    mois = models.DateField("mois", help_text="Premier jour du mois.")
    heures = models.DecimalField("heures d'accueil", max_digits=5, decimal_places=2)
    salaire_horaire = models.DecimalField("salaire horaire net (€)", max_digits=6, decimal_places=2)
    indemnites = models.DecimalField(
        "indemnités d'entretien et de repas (€)", max_digits=7, decimal_places=2, default=Decimal(0)
    )
    saisi_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saisi_le = models.DateTimeField("déclaré le")
    confirme_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirme_le = models.DateTimeField("confirmé le", null=True, blank=True)
    conteste_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    conteste_le = models.DateTimeField("contesté le", null=True, blank=True)
    motif_contestation = models.TextField("motif de la contestation", blank=True)
    cout_mensuel = models.DecimalField("coût du mois (€)", max_digits=8, decimal_places=2)
    cmg = models.DecimalField("CMG versé à l'assistant·e maternel·le (€)", max_digits=8, decimal_places=2)
    reste_a_charge = models.DecimalField("reste à la charge de la famille (€)", max_digits=8, decimal_places=2)
    regime = models.CharField("règle de calcul", max_length=20)

    class Meta:
        verbose_name = "relevé mensuel"
        verbose_name_plural = "relevés mensuels"
        ordering = ["-mois", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "mois"],
                name="releve_un_par_convention_et_mois",
                violation_error_message="Un relevé existe déjà pour cette convention et ce mois.",
            ),
            models.CheckConstraint(
                condition=Q(mois__day=1),
                name="releve_mois_premier_jour",
                violation_error_message="Le mois du relevé doit commencer le premier jour du mois.",
            ),
            models.CheckConstraint(
                condition=Q(heures__gt=0, heures__lte=300),
                name="releve_heures_0_300",
                violation_error_message="Le nombre d'heures du mois doit être supérieur à 0 et au plus égal à 300.",
            ),
            models.CheckConstraint(
                condition=Q(salaire_horaire__gt=0, indemnites__gte=0),
                name="releve_montants",
                violation_error_message=(
                    "Le salaire horaire doit être supérieur à 0 et les indemnités ne peuvent pas être négatives."
                ),
            ),
            models.CheckConstraint(
                condition=Q(confirme_par__isnull=True, confirme_le__isnull=True)
                | Q(confirme_par__isnull=False, confirme_le__isnull=False),
                name="releve_confirmation_complete",
                violation_error_message="Une confirmation du relevé indique à la fois qui l'a confirmé et quand.",
            ),
            models.CheckConstraint(
                condition=Q(conteste_par__isnull=True, conteste_le__isnull=True, motif_contestation="")
                | (Q(conteste_par__isnull=False, conteste_le__isnull=False) & ~Q(motif_contestation="")),
                name="releve_contestation_motivee",
                violation_error_message="Une contestation du relevé indique qui la fait, quand et pourquoi.",
            ),
            # A parent disputes instead of confirming: a statement is never both.
            models.CheckConstraint(
                condition=Q(conteste_le__isnull=True) | Q(confirme_le__isnull=True),
                name="releve_conteste_ou_confirme",
                violation_error_message="Un relevé contesté ne peut pas être confirmé avant d'être corrigé.",
            ),
            models.CheckConstraint(
                condition=Q(cmg__gte=0, cmg__lte=F("cout_mensuel"), reste_a_charge=F("cout_mensuel") - F("cmg")),
                name="releve_cmg_dans_le_cout",
                violation_error_message=(
                    "Le complément ne peut pas dépasser le coût du mois, et le reste à charge est le coût moins le "
                    "complément."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention.reference} – {self.mois:%m/%Y}"

    @property
    def confirme(self) -> bool:
        return self.confirme_le is not None

    @property
    def conteste(self) -> bool:
        return self.conteste_le is not None

    @property
    def estime(self) -> bool:
        """Until a parent confirms, the amounts are the childminder's declaration, not what the CAF pays."""
        return not self.confirme
