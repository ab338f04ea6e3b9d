"""The offer side of the guichet unique: childminders (agrément, children in care, availability,
under-activity) and collective structures. Free places are derived, never typed by hand."""

from datetime import date, time

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from relais.models import Commune

# Art. L421-4 CASF: at most 6 minors at the same time, of whom at most 4 under 3.
MAX_ENFANTS_SIMULTANES = 6
MAX_MOINS_DE_3_ANS = 4


class Jour(models.IntegerChoices):
    LUNDI = 0, "lundi"
    MARDI = 1, "mardi"
    MERCREDI = 2, "mercredi"
    JEUDI = 3, "jeudi"
    VENDREDI = 4, "vendredi"
    SAMEDI = 5, "samedi"
    DIMANCHE = 6, "dimanche"


class TrancheAge(models.TextChoices):
    MOINS_3 = "moins_3", "moins de 3 ans"
    DE_3_A_6 = "3_6", "3 à 6 ans"
    PERISCOLAIRE = "periscolaire", "périscolaire (6 ans et plus)"


def tranche_age(naissance: date, au: date) -> TrancheAge:
    """Age band of a child born on `naissance`, on date `au`."""
    age = au.year - naissance.year - ((au.month, au.day) < (naissance.month, naissance.day))
    if age < 3:
        return TrancheAge.MOINS_3
    if age < 6:
        return TrancheAge.DE_3_A_6
    return TrancheAge.PERISCOLAIRE


class HorairesAtypiques(models.Model):
    """Atypical hours: before 7:00, after 19:00, Saturday, Sunday, night."""

    tot = models.BooleanField("avant 7 h", default=False)
    tard = models.BooleanField("après 19 h", default=False)
    samedi = models.BooleanField("le samedi", default=False)
    dimanche = models.BooleanField("le dimanche", default=False)
    nuit = models.BooleanField("la nuit", default=False)

    CHAMPS = ("tot", "tard", "samedi", "dimanche", "nuit")

    class Meta:
        abstract = True

    def horaires_atypiques(self) -> list[str]:
        return [self._meta.get_field(champ).verbose_name for champ in self.CHAMPS if getattr(self, champ)]


class AssistantMaternelQuerySet(models.QuerySet):
    def agrement_valide(self, au: date):
        return self.filter(agrement__date_fin_validite__gte=au, agrement__date_delivrance__lte=au)

    def du_territoire(self, relais):
        return self.filter(commune__territoire__relais=relais)


class AssistantMaternel(models.Model):
    """A childminder. Known from the PMI's file even before she opens an account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assistant_maternel"
    )
    prenom = models.CharField("prénom", max_length=150)
    nom = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    adresse = models.CharField("adresse", max_length=250, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="assistants_maternels")
    membre_mam = models.BooleanField("exerce en MAM", default=False)
    nom_mam = models.CharField("nom de la MAM", max_length=200, blank=True)
    langues = models.CharField("langues parlées", max_length=200, blank=True)
    espace_exterieur = models.BooleanField("jardin ou espace extérieur", default=False)
    animaux = models.CharField("animaux au domicile", max_length=200, blank=True)
    presentation = models.TextField("présentation", blank=True, max_length=2000)
    afficher_disponibilites = models.BooleanField(
        "afficher mes disponibilités en ligne",
        default=False,
        help_text="Vos disponibilités, votre prénom, l'initiale de votre nom et votre commune "
        "sont alors visibles par les familles.",
    )
    afficher_telephone = models.BooleanField("afficher aussi mon téléphone", default=False)
    # Set once the personal data are blanked (account deleted, or agrément ended long ago); never twice.
    anonymise_le = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssistantMaternelQuerySet.as_manager()

    class Meta:
        verbose_name = "assistant maternel"
        verbose_name_plural = "assistants maternels"
        ordering = ["nom", "prenom", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(membre_mam=True) | Q(nom_mam=""),
                name="assmat_nom_mam_seulement_si_membre",
                violation_error_message="Le nom de la MAM ne peut être indiqué que si vous exercez en MAM.",
            ),
            models.CheckConstraint(
                condition=Q(afficher_telephone=False) | Q(afficher_disponibilites=True),
                name="assmat_telephone_affiche_avec_disponibilites",
                violation_error_message="Le téléphone ne peut être affiché que si vos disponibilités sont publiées.",
            ),
        ]
        indexes = [models.Index(fields=["commune", "afficher_disponibilites"])]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}"

    @property
    def nom_public(self) -> str:
        """First name and initial: all the public search shows of a name."""
        return f"{self.prenom} {self.nom[:1]}."


class Agrement(HorairesAtypiques):
    assistant_maternel = models.OneToOneField(AssistantMaternel, on_delete=models.CASCADE, related_name="agrement")
    numero = models.CharField("numéro d'agrément", max_length=30, unique=True)
    date_delivrance = models.DateField("délivré le")
    date_fin_validite = models.DateField("valable jusqu'au")
    capacite_totale = models.PositiveSmallIntegerField("nombre total d'enfants")
    capacite_moins_3_ans = models.PositiveSmallIntegerField("dont enfants de moins de 3 ans")
    capacite_periscolaire = models.PositiveSmallIntegerField("dont accueil périscolaire", default=0)
    rappel_expiration_envoye_le = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "agrément"
        constraints = [
            models.CheckConstraint(
                condition=Q(capacite_totale__gte=1, capacite_totale__lte=MAX_ENFANTS_SIMULTANES),
                name="agrement_capacite_totale_legale",
                violation_error_message="La capacité d'accueil de l'agrément doit être comprise entre 1 et 6 enfants.",
            ),
            models.CheckConstraint(
                condition=Q(capacite_moins_3_ans__lte=MAX_MOINS_DE_3_ANS)
                & Q(capacite_moins_3_ans__lte=F("capacite_totale")),
                name="agrement_capacite_moins_3_ans_legale",
                violation_error_message=(
                    "Le nombre d'enfants de moins de 3 ans ne peut dépasser ni 4 ni la capacité totale de l'agrément."
                ),
            ),
            models.CheckConstraint(
                condition=Q(capacite_periscolaire__lte=F("capacite_totale")),
                name="agrement_periscolaire_dans_total",
                violation_error_message=(
                    "Les places en périscolaire ne peuvent pas dépasser la capacité totale de l'agrément."
                ),
            ),
            models.CheckConstraint(
                condition=Q(date_fin_validite__gt=F("date_delivrance")),
                name="agrement_dates_coherentes",
                violation_error_message="La date de fin de validité de l'agrément doit suivre sa date de délivrance.",
            ),
        ]

    def __str__(self) -> str:
        return f"Agrément {self.numero}"

    def est_valide(self, au: date) -> bool:
        return self.date_delivrance <= au <= self.date_fin_validite


class Accueil(models.Model):
    """A child in care: the places it occupies are what free places are derived from."""

    assistant_maternel = models.ForeignKey(AssistantMaternel, on_delete=models.CASCADE, related_name="accueils")
    prenom_enfant = models.CharField("prénom de l'enfant", max_length=100)
    date_naissance = models.DateField("date de naissance de l'enfant")
    jours = ArrayField(models.PositiveSmallIntegerField(choices=Jour.choices), verbose_name="jours d'accueil")
    heure_debut = models.TimeField("de", default=time(8))
    heure_fin = models.TimeField("à", default=time(18))
    date_debut = models.DateField("accueilli depuis le")
    date_fin = models.DateField(
        "jusqu'au", null=True, blank=True, help_text="Laisser vide si la fin n'est pas prévue."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "enfant accueilli"
        verbose_name_plural = "enfants accueillis"
        ordering = ["date_debut", "prenom_enfant", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(heure_fin__gt=F("heure_debut")),
                name="accueil_horaires_coherents",
                violation_error_message="L'heure de fin de l'accueil doit suivre l'heure de début.",
            ),
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=F("date_debut")),
                name="accueil_dates_coherentes",
                violation_error_message="La date de fin de l'accueil ne peut pas précéder sa date de début.",
            ),
            models.CheckConstraint(
                condition=~Q(jours=[]),
                name="accueil_au_moins_un_jour",
                violation_error_message="Indiquez au moins un jour d'accueil.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prenom_enfant} chez {self.assistant_maternel}"

    def present(self, au: date) -> bool:
        return self.date_debut <= au and (self.date_fin is None or self.date_fin >= au)


class Disponibilite(HorairesAtypiques):
    """What the childminder offers from a date. Places shown are never above the derived free places."""

    assistant_maternel = models.OneToOneField(
        AssistantMaternel, on_delete=models.CASCADE, related_name="disponibilite"
    )
    a_partir_du = models.DateField("places libres à partir du")
    places_moins_3_ans = models.PositiveSmallIntegerField("places pour un enfant de moins de 3 ans", default=0)
    places_plus_3_ans = models.PositiveSmallIntegerField("places pour un enfant de 3 ans ou plus", default=0)
    jours = ArrayField(models.PositiveSmallIntegerField(choices=Jour.choices), verbose_name="jours proposés")
    heure_debut = models.TimeField("de", default=time(8))
    heure_fin = models.TimeField("à", default=time(18))
    commentaire = models.CharField("précisions", max_length=500, blank=True)
    confirmee_le = models.DateTimeField("confirmée le")
    rappel_envoye_le = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "déclaration de disponibilités"
        verbose_name_plural = "déclarations de disponibilités"
        constraints = [
            models.CheckConstraint(
                condition=Q(heure_fin__gt=F("heure_debut")),
                name="disponibilite_horaires_coherents",
                violation_error_message="L'heure de fin de la disponibilité doit suivre l'heure de début.",
            ),
            models.CheckConstraint(
                condition=Q(places_moins_3_ans__lte=MAX_MOINS_DE_3_ANS)
                & Q(places_plus_3_ans__lte=MAX_ENFANTS_SIMULTANES),
                name="disponibilite_places_legales",
                violation_error_message="Au plus 4 places pour les moins de 3 ans et 6 places pour les plus de 3 ans.",
            ),
        ]
        indexes = [models.Index(fields=["confirmee_le"])]

    def __str__(self) -> str:
        return f"Disponibilités de {self.assistant_maternel}"

    def jours_proposes(self) -> str:
        return ", ".join(Jour(jour).label for jour in sorted(self.jours))


class HistoriqueAffichage(models.Model):
    """One event of a childminder's display of availability: her consent set or changed, or her declaration
    saved or confirmed. Append-only (the database refuses UPDATE), written by every service that changes
    either, in the same transaction: the display indicator at a past date reads it, not the current row."""

    # No index of its own: (assistant_maternel, le) below serves the foreign key too.
    assistant_maternel = models.ForeignKey(
        AssistantMaternel, on_delete=models.CASCADE, related_name="historique_affichage", db_index=False
    )
    le = models.DateTimeField("le", default=timezone.now)
    affiche = models.BooleanField("consentement à l'affichage après l'événement")
    confirmation = models.BooleanField("déclaration ou confirmation des disponibilités")

    class Meta:
        verbose_name = "événement d'affichage des disponibilités"
        verbose_name_plural = "historique de l'affichage des disponibilités"
        ordering = ["le", "pk"]
        indexes = [models.Index(fields=["assistant_maternel", "le"], name="historique_affichage_am_le_idx")]

    def __str__(self) -> str:
        quoi = "confirmation" if self.confirmation else "consentement"
        affichage = "oui" if self.affiche else "non"
        return f"{self.assistant_maternel_id} : {quoi} le {self.le:%d/%m/%Y}, affichage {affichage}"


class SignalementSousActivite(models.Model):
    assistant_maternel = models.ForeignKey(
        AssistantMaternel, on_delete=models.CASCADE, related_name="signalements_sous_activite"
    )
    depuis = models.DateField("en sous-activité depuis le")
    places_inoccupees = models.PositiveSmallIntegerField("nombre de places inoccupées")
    commentaire = models.TextField("commentaire", blank=True, max_length=2000)
    signale_le = models.DateTimeField("signalé le", auto_now_add=True)
    # Set by the first outcome of an interview: until then the report is pending, and it is the only one.
    traite_le = models.DateTimeField("traité le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "signalement de sous-activité"
        verbose_name_plural = "signalements de sous-activité"
        ordering = ["-signale_le", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(places_inoccupees__gte=1, places_inoccupees__lte=MAX_ENFANTS_SIMULTANES),
                name="signalement_places_plausibles",
                violation_error_message="Le nombre de places inoccupées doit être compris entre 1 et 6.",
            ),
            models.UniqueConstraint(
                fields=["assistant_maternel"],
                condition=Q(traite_le__isnull=True),
                name="signalement_un_seul_en_attente",
                violation_error_message=(
                    "Une sous-activité est déjà signalée et attend l'entretien du relais : "
                    "une nouvelle ne peut l'être qu'après cet entretien."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assistant_maternel} – {self.signale_le:%d/%m/%Y}"


class Entretien(models.Model):
    """An interview the relais offers after an under-activity report (mission 2 (a))."""

    class Type(models.TextChoices):
        INDIVIDUEL = "individuel", "individuel"
        COLLECTIF = "collectif", "collectif"

    class Issue(models.TextChoices):
        REALISE = "realise", "entretien réalisé"
        DECLINE = "decline", "proposition déclinée"
        SANS_REPONSE = "sans_reponse", "sans réponse"

    signalement = models.ForeignKey(SignalementSousActivite, on_delete=models.CASCADE, related_name="entretiens")
    type = models.CharField("type", max_length=20, choices=Type.choices)
    date_entretien = models.DateTimeField("date de l'entretien")
    propose_le = models.DateTimeField("proposé le", auto_now_add=True)
    propose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issue = models.CharField("issue", max_length=20, choices=Issue.choices, blank=True)
    issue_le = models.DateTimeField("issue enregistrée le", null=True, blank=True)

    class Meta:
        verbose_name = "entretien proposé"
        verbose_name_plural = "entretiens proposés"
        ordering = ["-propose_le", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(issue="") & Q(issue_le__isnull=True)) | (~Q(issue="") & Q(issue_le__isnull=False)),
                name="entretien_issue_datee",
                violation_error_message=(
                    "L'issue de l'entretien et sa date vont ensemble : renseignez les deux ou aucune."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Entretien {self.get_type_display()} du {self.date_entretien:%d/%m/%Y}"


class LabelAvip(models.Model):
    """AVIP label granted by the CAF, with dates; a withdrawn label keeps its history."""

    assistant_maternel = models.ForeignKey(AssistantMaternel, on_delete=models.CASCADE, related_name="labels_avip")
    date_debut = models.DateField("labellisé·e le")
    date_fin = models.DateField("label retiré le", null=True, blank=True)
    accorde_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    retire_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = "label AVIP"
        verbose_name_plural = "labels AVIP"
        ordering = ["-date_debut", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assistant_maternel"],
                condition=Q(date_fin__isnull=True),
                name="label_avip_un_seul_en_cours",
                violation_error_message="Un label AVIP est déjà en cours pour cet assistant maternel.",
            ),
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=F("date_debut")),
                name="label_avip_dates",
                violation_error_message="La date de fin du label AVIP ne peut pas précéder sa date de début.",
            ),
        ]

    def __str__(self) -> str:
        return f"AVIP {self.assistant_maternel} depuis le {self.date_debut:%d/%m/%Y}"


class RelanceAffichage(models.Model):
    """A bulk reminder sent by a relais to childminders who do not display their availability."""

    relais = models.ForeignKey("relais.Relais", on_delete=models.CASCADE, related_name="+")
    lancee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    destinataires = models.PositiveIntegerField(default=0)
    envoyes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    terminee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "relance d'affichage"
        verbose_name_plural = "relances d'affichage"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(envoyes__lte=F("destinataires")),
                name="relance_progression",
                violation_error_message=(
                    "Le nombre de messages envoyés ne peut pas dépasser le nombre de destinataires."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Relance du {self.created_at:%d/%m/%Y} ({self.relais})"


class Structure(models.Model):
    """EAJE (crèche), MAM, halte-garderie: collective offer of the territory."""

    class Type(models.TextChoices):
        CRECHE = "creche", "crèche (EAJE)"
        MICRO_CRECHE = "micro_creche", "micro-crèche"
        HALTE_GARDERIE = "halte_garderie", "halte-garderie"
        MAM = "mam", "maison d'assistants maternels (MAM)"

    type = models.CharField("type", max_length=20, choices=Type.choices)
    nom = models.CharField("nom", max_length=200)
    gestionnaire = models.CharField("gestionnaire", max_length=200, blank=True)
    adresse = models.CharField("adresse", max_length=250)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="structures")
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("e-mail", blank=True)
    horaires = models.CharField("horaires d'ouverture", max_length=200, blank=True)
    places_moins_3_ans = models.PositiveSmallIntegerField("places pour les moins de 3 ans", default=0)
    places_plus_3_ans = models.PositiveSmallIntegerField("places pour les 3 ans et plus", default=0)
    places_insertion = models.PositiveSmallIntegerField(
        "places réservées à l'insertion", default=0, help_text="Au moins 1 place pour 20 (art. D214-7 CASF)."
    )
    places_avip = models.PositiveSmallIntegerField("places AVIP", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "structure d'accueil"
        verbose_name_plural = "structures d'accueil"
        ordering = ["nom", "pk"]
        constraints = [
            # D214-7 CASF: at least one place per twenty for parents in insertion (rounded up).
            models.CheckConstraint(
                condition=Q(type="mam")
                | Q(places_insertion__gte=(F("places_moins_3_ans") + F("places_plus_3_ans") + 19) / 20),
                name="structure_places_insertion_d214_7",
                violation_error_message=(
                    "Au moins une place sur vingt doit être réservée aux enfants de parents en insertion (article "
                    "D214-7)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(places_avip__lte=F("places_moins_3_ans") + F("places_plus_3_ans")),
                name="structure_places_avip_dans_capacite",
                violation_error_message="Les places AVIP ne peuvent pas dépasser la capacité de la structure.",
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    @property
    def capacite(self) -> int:
        return self.places_moins_3_ans + self.places_plus_3_ans


class DisponibiliteStructure(models.Model):
    """Free places of a structure from a date, declared by the relais."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="disponibilites")
    a_partir_du = models.DateField("à partir du")
    places_moins_3_ans = models.PositiveSmallIntegerField("places libres moins de 3 ans", default=0)
    places_plus_3_ans = models.PositiveSmallIntegerField("places libres 3 ans et plus", default=0)
    declaree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declaree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "places libres d'une structure"
        verbose_name_plural = "places libres des structures"
        ordering = ["structure", "-a_partir_du", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "a_partir_du"],
                name="dispo_structure_une_par_date",
                violation_error_message="Des disponibilités sont déjà enregistrées pour cette structure à cette date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure} au {self.a_partir_du:%d/%m/%Y}"


class ParametresOffre(models.Model):
    """Configurable rules of the offer (one row, editable in the admin)."""

    mois_avant_peremption = models.PositiveSmallIntegerField(
        "mois sans confirmation avant qu'une disponibilité ne soit plus affichée", default=3
    )
    mois_alerte_agrement = models.PositiveSmallIntegerField("alerte d'expiration d'agrément (mois avant)", default=3)
    rayon_recherche_km = models.PositiveSmallIntegerField("rayon de recherche des communes voisines (km)", default=10)

    class Meta:
        verbose_name = "paramètres de l'offre"
        verbose_name_plural = "paramètres de l'offre"
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="parametres_offre_ligne_unique",
                violation_error_message=(
                    "Les paramètres de l'offre d'accueil existent déjà : modifiez-les plutôt que d'en créer d'autres."
                ),
            )
        ]

    def __str__(self) -> str:
        return "Paramètres de l'offre"

    @classmethod
    def courants(cls) -> "ParametresOffre":
        parametres, _ = cls.objects.get_or_create(pk=1)
        return parametres
