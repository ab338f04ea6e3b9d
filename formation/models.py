"""Continuing training of childminders (mission 3 of circular C 2017-003): wishes, training bodies,
sessions, enrolments with their history, and alternative childcare for the parents while the
childminder is away. Invariants live in the database; rules live in `services` and `selectors`."""

from datetime import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from formation.validators import valider_siret
from relais.models import Commune, Relais


class ThemeFormation(models.Model):
    """The list of themes childminders choose from; edited in the admin, seeded by a data migration."""

    libelle = models.CharField("thème", max_length=150, unique=True)
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    actif = models.BooleanField("proposé aux assistants maternels", default=True)

    class Meta:
        verbose_name = "thème de formation"
        verbose_name_plural = "thèmes de formation"
        ordering = ["ordre", "libelle"]

    def __str__(self) -> str:
        return self.libelle


class JoursPreferes(models.TextChoices):
    SEMAINE = "semaine", "en semaine"
    SAMEDI = "samedi", "le samedi"
    INDIFFERENT = "indifferent", "en semaine ou le samedi"


class SouhaitFormationQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(retire_le__isnull=True)


class SouhaitFormation(models.Model):
    """A training wish. Withdrawing keeps the row: it is the evidence of the needs collection (mission 3)."""

    assistant_maternel = models.ForeignKey(
        "assmats.AssistantMaternel", on_delete=models.CASCADE, related_name="souhaits_formation"
    )
    theme = models.ForeignKey(ThemeFormation, on_delete=models.PROTECT, related_name="souhaits", verbose_name="thème")
    precisions = models.TextField("précisions", blank=True, max_length=1000)
    jours_preferes = models.CharField("jours préférés", max_length=20, choices=JoursPreferes.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name="commune où se former"
    )
    created_at = models.DateTimeField("exprimé le", default=timezone.now, editable=False)
    retire_le = models.DateTimeField("retiré le", null=True, blank=True, editable=False)

    objects = SouhaitFormationQuerySet.as_manager()

    class Meta:
        verbose_name = "souhait de formation"
        verbose_name_plural = "souhaits de formation"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jours_preferes__in=JoursPreferes.values),
                name="souhait_jours_connus",
                violation_error_message="Choisissez des jours préférés parmi ceux proposés.",
            ),
            models.CheckConstraint(
                condition=Q(retire_le__isnull=True) | Q(retire_le__gte=F("created_at")),
                name="souhait_retrait_date",
                violation_error_message="La date de retrait du souhait ne peut pas précéder sa création.",
            ),
            models.UniqueConstraint(
                fields=["assistant_maternel", "theme"],
                condition=Q(retire_le__isnull=True),
                name="souhait_un_actif_par_theme",
                violation_error_message="Vous avez déjà exprimé un souhait de formation sur ce thème.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme} – {self.assistant_maternel}"


class OrganismeFormation(models.Model):
    """A training body. Shared by every relais: one row per SIRET."""

    nom = models.CharField("nom", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[valider_siret])
    contact = models.CharField("personne à contacter", max_length=200, blank=True)
    email = models.EmailField("e-mail", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organisme de formation"
        verbose_name_plural = "organismes de formation"
        ordering = ["nom", "pk"]
        constraints = [
            # The checksum is the validator's job; the database still refuses anything but 14 digits.
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"),
                name="organisme_siret_14_chiffres",
                violation_error_message="Le numéro SIRET doit compter exactement 14 chiffres.",
            ),
        ]

    def __str__(self) -> str:
        return self.nom


class SessionFormation(models.Model):
    """A training session on consecutive days, with the same hours each day."""

    organisme = models.ForeignKey(OrganismeFormation, on_delete=models.PROTECT, related_name="sessions")
    relais = models.ForeignKey(Relais, on_delete=models.PROTECT, related_name="sessions_formation")
    intitule = models.CharField("intitulé", max_length=200)
    theme = models.ForeignKey(ThemeFormation, on_delete=models.PROTECT, related_name="sessions", verbose_name="thème")
    date_debut = models.DateField("du")
    date_fin = models.DateField("au")
    heure_debut = models.TimeField("de")
    heure_fin = models.TimeField("à")
    lieu = models.CharField("lieu", max_length=250)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", verbose_name="commune")
    capacite = models.PositiveSmallIntegerField("nombre de places")
    souhaits = models.ManyToManyField(
        SouhaitFormation, blank=True, related_name="sessions", verbose_name="souhaits auxquels elle répond"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["date_debut", "heure_debut", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__gte=F("date_debut")),
                name="formation_session_dates_coherentes",
                violation_error_message="La date de fin de la session ne peut pas précéder sa date de début.",
            ),
            models.CheckConstraint(
                condition=Q(heure_fin__gt=F("heure_debut")),
                name="formation_session_horaires_coherents",
                violation_error_message="L'heure de fin de la session doit suivre l'heure de début.",
            ),
            models.CheckConstraint(
                condition=Q(capacite__gte=1, capacite__lte=200),
                name="formation_session_capacite_plausible",
                violation_error_message="La capacité de la session doit être comprise entre 1 et 200 places.",
            ),
        ]
        indexes = [models.Index(fields=["relais", "date_debut"])]

    def __str__(self) -> str:
        return f"{self.intitule} ({self.date_debut:%d/%m/%Y})"

    @property
    def debut(self) -> datetime:
        """When it starts, in the portal's time zone: a departure is recorded from then on."""
        return timezone.make_aware(datetime.combine(self.date_debut, self.heure_debut))

    @property
    def a_commence(self) -> bool:
        return timezone.now() >= self.debut

    @property
    def uid_ics(self) -> str:
        """Stable across edits, so that calendar apps update the event instead of duplicating it."""
        return f"session-formation-{self.pk}@guichet-rpe.fr"


class Inscription(models.Model):
    class Statut(models.TextChoices):
        INSCRITE = "inscrite", "inscrite"
        PARTIE = "partie", "partie en formation"
        SUIVIE = "suivie", "formation suivie"
        ANNULEE = "annulee", "annulée"

    class MotifGrace(models.TextChoices):
        RECUEIL_BESOINS = "recueil_besoins", "souhait recueilli par le relais"
        MISE_EN_RELATION = "mise_en_relation", "mise en relation par le relais"
        ACCUEIL_ALTERNATIF = "accueil_alternatif", "solution d'accueil alternative trouvée"

    # Seats are taken by every enrolment that is not cancelled.
    STATUTS_OCCUPANT_UNE_PLACE = (Statut.INSCRITE, Statut.PARTIE, Statut.SUIVIE)

    # The enrolment's life, declared once: (from, to) → the service that makes the move (`services.exiger_transition`
    # refuses any other; `selectors.actions_possibles` says who may make it now). Enrolling creates it « inscrite ».
    TRANSITIONS = {
        (Statut.INSCRITE, Statut.PARTIE): "marquer_partie",
        (Statut.PARTIE, Statut.SUIVIE): "marquer_suivie",
        # The childminder cancels before leaving only; the relais also after (training interrupted).
        (Statut.INSCRITE, Statut.ANNULEE): "annuler_inscription",
        (Statut.PARTIE, Statut.ANNULEE): "annuler_inscription",
    }

    session = models.ForeignKey(SessionFormation, on_delete=models.PROTECT, related_name="inscriptions")
    assistant_maternel = models.ForeignKey(
        "assmats.AssistantMaternel", on_delete=models.PROTECT, related_name="inscriptions_formation"
    )
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.INSCRITE)
    grace_au_relais = models.BooleanField("départ grâce à l'action du relais", default=False)
    motifs_grace = ArrayField(
        models.CharField(max_length=30, choices=MotifGrace.choices),
        verbose_name="actions du relais à l'origine du départ",
        default=list,
        blank=True,
    )
    inscrite_le = models.DateTimeField("inscrite le", default=timezone.now)
    inscrite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partie_le = models.DateTimeField("départ en formation le", null=True, blank=True)
    terminee_le = models.DateTimeField("terminée le", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "inscription à une session"
        verbose_name_plural = "inscriptions aux sessions"
        ordering = ["session__date_debut", "assistant_maternel__nom", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statut__in=["inscrite", "partie", "suivie", "annulee"]),
                name="formation_inscription_statut_connu",
                violation_error_message="Cet état d'inscription n'est pas reconnu.",
            ),
            models.UniqueConstraint(
                fields=["session", "assistant_maternel"],
                condition=~Q(statut="annulee"),
                name="formation_inscription_une_active_par_session",
                violation_error_message="Cet assistant maternel est déjà inscrit à cette session.",
            ),
            # A departure is dated; an enrolment not yet departed has no departure date.
            models.CheckConstraint(
                condition=Q(statut="inscrite", partie_le__isnull=True)
                | Q(statut__in=["partie", "suivie"], partie_le__isnull=False)
                | Q(statut="annulee"),
                name="formation_inscription_depart_date",
                violation_error_message=(
                    "Un départ en formation doit être daté, et une inscription pas encore partie n'a pas de date de "
                    "départ."
                ),
            ),
            models.CheckConstraint(
                condition=Q(statut__in=["inscrite", "partie"], terminee_le__isnull=True)
                | Q(statut__in=["suivie", "annulee"], terminee_le__isnull=False),
                name="formation_inscription_fin_datee",
                violation_error_message=(
                    "Une formation suivie ou annulée doit avoir une date de fin, et une formation en cours n'en a pas."
                ),
            ),
            # The flag and its reasons go together, and only a departure can be thanks to the relais.
            models.CheckConstraint(
                condition=Q(grace_au_relais=False, motifs_grace=[])
                | (Q(grace_au_relais=True, partie_le__isnull=False) & ~Q(motifs_grace=[])),
                name="formation_inscription_grace_motivee",
                violation_error_message=(
                    "Indiquez en quoi le relais a permis ce départ en formation, seulement pour un départ effectif."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assistant_maternel} – {self.session}"

    def libelles_motifs(self) -> list[str]:
        return [self.MotifGrace(motif).label for motif in self.motifs_grace]


class HistoriqueInscription(models.Model):
    inscription = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="historique")
    de = models.CharField("de", max_length=20, blank=True)
    vers = models.CharField("vers", max_length=20)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "changement de statut d'une inscription"
        verbose_name_plural = "historique des inscriptions"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.de or '∅'} → {self.vers}"


class MiseEnRelation(models.Model):
    """The relais sent a group of wishes to a training body."""

    relais = models.ForeignKey(Relais, on_delete=models.CASCADE, related_name="mises_en_relation")
    organisme = models.ForeignKey(OrganismeFormation, on_delete=models.PROTECT, related_name="mises_en_relation")
    date = models.DateField("date d'envoi")
    souhaits = models.ManyToManyField(SouhaitFormation, related_name="mises_en_relation", verbose_name="souhaits")
    commentaire = models.TextField("commentaire", blank=True, max_length=2000)
    enregistree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mise en relation avec un organisme"
        verbose_name_plural = "mises en relation avec des organismes"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisme} le {self.date:%d/%m/%Y}"


class EnfantConcerne(models.Model):
    """A child in care whose childminder will be away; the parent's e-mail is what the childminder gave us."""

    inscription = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="enfants_concernes")
    accueil = models.ForeignKey("assmats.Accueil", on_delete=models.CASCADE, related_name="+")
    email_parent = models.EmailField("e-mail d'un parent", blank=True)
    invitation_envoyee_le = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "enfant concerné par une formation"
        verbose_name_plural = "enfants concernés par une formation"
        ordering = ["inscription", "accueil__prenom_enfant", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inscription", "accueil"],
                name="enfant_concerne_unique",
                violation_error_message="Cet enfant est déjà indiqué pour cette inscription.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.accueil.prenom_enfant} ({self.inscription})"


class DemandeAccueilAlternatif(models.Model):
    """A parent's request for childcare while the childminder is in training (mission 3 (b))."""

    class Statut(models.TextChoices):
        NOUVELLE = "nouvelle", "nouvelle"
        PROPOSEE = "proposee", "solution proposée"
        ACCEPTEE = "acceptee", "solution acceptée"
        REFUSEE = "refusee", "solution refusée"

    # Declared once, as for an enrolment: the relais proposes (again after a refusal), the parent answers.
    TRANSITIONS = {
        (Statut.NOUVELLE, Statut.PROPOSEE): "proposer_accueil_alternatif",
        (Statut.REFUSEE, Statut.PROPOSEE): "proposer_accueil_alternatif",
        (Statut.PROPOSEE, Statut.ACCEPTEE): "repondre_proposition",
        (Statut.PROPOSEE, Statut.REFUSEE): "repondre_proposition",
    }

    class Canal(models.TextChoices):
        EN_LIGNE = "en_ligne", "en ligne"
        TELEPHONE = "telephone", "par téléphone"

    relais = models.ForeignKey(Relais, on_delete=models.PROTECT, related_name="demandes_accueil_alternatif")
    inscription = models.ForeignKey(Inscription, on_delete=models.PROTECT, related_name="demandes_accueil_alternatif")
    enfant_concerne = models.OneToOneField(
        EnfantConcerne, on_delete=models.SET_NULL, null=True, blank=True, related_name="demande"
    )
    prenom_enfant = models.CharField("prénom de l'enfant", max_length=100)
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_accueil_alternatif",
    )
    nom_parent = models.CharField("nom du parent", max_length=200)
    telephone_parent = models.CharField("téléphone du parent", max_length=20, blank=True)
    email_parent = models.EmailField("e-mail du parent", blank=True)
    date_debut = models.DateField("du")
    date_fin = models.DateField("au")
    commentaire = models.TextField("précisions", blank=True, max_length=2000)
    canal = models.CharField("reçue", max_length=20, choices=Canal.choices)
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.NOUVELLE)
    enregistree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("reçue le", default=timezone.now)
    relais_notifie_le = models.DateTimeField(null=True, blank=True, editable=False)
    # Set once the parent's data are blanked (account deleted, or the childminder's file anonymised).
    anonymise_le = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "demande d'accueil alternatif"
        verbose_name_plural = "demandes d'accueil alternatif"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__gte=F("date_debut")),
                name="accueil_alternatif_dates",
                violation_error_message="La date de fin de l'accueil ne peut pas précéder sa date de début.",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=["nouvelle", "proposee", "acceptee", "refusee"]),
                name="accueil_alternatif_statut_connu",
                violation_error_message="Cet état de demande n'est pas reconnu.",
            ),
            # An online request has an account behind it; a phone request was typed by the relais.
            models.CheckConstraint(
                condition=Q(canal="en_ligne", parent__isnull=False)
                | Q(canal="telephone", enregistree_par__isnull=False),
                name="accueil_alternatif_origine",
                violation_error_message=(
                    "Une demande en ligne vient d'un compte parent ; une demande par téléphone indique qui l'a saisie."
                ),
            ),
        ]
        indexes = [models.Index(fields=["relais", "created_at"])]

    def __str__(self) -> str:
        return f"Accueil de {self.prenom_enfant} du {self.date_debut:%d/%m/%Y} au {self.date_fin:%d/%m/%Y}"


class PropositionAccueilAlternatif(models.Model):
    class Type(models.TextChoices):
        ASSMAT = "assmat", "un·e autre assistant·e maternel·le"
        STRUCTURE = "structure", "une structure (halte-garderie, MAM, crèche)"
        AUTRE = "autre", "une autre solution"

    class Reponse(models.TextChoices):
        EN_ATTENTE = "en_attente", "en attente de réponse"
        ACCEPTEE = "acceptee", "acceptée"
        REFUSEE = "refusee", "refusée"

    demande = models.ForeignKey(DemandeAccueilAlternatif, on_delete=models.CASCADE, related_name="propositions")
    type = models.CharField("solution", max_length=20, choices=Type.choices)
    assistant_maternel = models.ForeignKey(
        "assmats.AssistantMaternel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    structure = models.ForeignKey(
        "assmats.Structure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.TextField("précisions pour le parent", blank=True, max_length=2000)
    propose_le = models.DateTimeField("proposée le", default=timezone.now)
    propose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reponse = models.CharField("réponse", max_length=20, choices=Reponse.choices, default=Reponse.EN_ATTENTE)
    repondu_le = models.DateTimeField("réponse le", null=True, blank=True)
    parent_notifie_le = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "proposition d'accueil alternatif"
        verbose_name_plural = "propositions d'accueil alternatif"
        ordering = ["propose_le", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type="assmat", assistant_maternel__isnull=False, structure__isnull=True)
                | Q(type="structure", structure__isnull=False, assistant_maternel__isnull=True)
                | (Q(type="autre", assistant_maternel__isnull=True, structure__isnull=True) & ~Q(description="")),
                name="alternative_proposition_solution_complete",
                violation_error_message=(
                    "Précisez la solution proposée : un assistant maternel, une structure, ou une description pour "
                    "une autre solution."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reponse="en_attente", repondu_le__isnull=True)
                | Q(reponse__in=["acceptee", "refusee"], repondu_le__isnull=False),
                name="alternative_proposition_reponse_datee",
                violation_error_message=(
                    "Une réponse à la proposition doit être datée, et une proposition en attente n'a pas de date de "
                    "réponse."
                ),
            ),
            models.UniqueConstraint(
                fields=["demande"],
                condition=Q(reponse="en_attente"),
                name="alternative_proposition_une_en_attente",
                violation_error_message="Une proposition attend déjà la réponse du parent pour cette demande.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.libelle} ({self.get_reponse_display()})"

    @property
    def libelle(self) -> str:
        if self.type == self.Type.ASSMAT:
            return f"Assistant·e maternel·le : {self.assistant_maternel}"
        if self.type == self.Type.STRUCTURE:
            return f"{self.structure.get_type_display().capitalize()} : {self.structure}"
        return self.description


def statuts_de_depart(modele: type[models.Model], service: str) -> frozenset[str]:
    """The statuses from which `service` may move a record of `modele`, read from its `TRANSITIONS`."""
    return frozenset(de for (de, _vers), nom in modele.TRANSITIONS.items() if nom == service)
