"""Childcare requests (demandes d'accueil), their history, appointments, proposals and the ranking weights."""

import unicodedata
import uuid
from datetime import date, time, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from relais.models import Commune, Relais

REFERENCE_REGEX = r"^RPE-[0-9]{4}-[0-9]{6}$"
NUMERO_CAF_REGEX = r"^[0-9]{7}$"


class Statut(models.TextChoices):
    NOUVELLE = "nouvelle", "Nouvelle"
    PRISE_EN_CHARGE = "prise_en_charge", "Prise en charge"
    RDV_PROPOSE = "rdv_propose", "Rendez-vous proposé"
    RDV_REALISE = "rdv_realise", "Rendez-vous réalisé"
    PROPOSITIONS_FAITES = "propositions_faites", "Proposition(s) faite(s)"
    SOLUTION_TROUVEE = "solution_trouvee", "Solution trouvée"
    SANS_SOLUTION = "sans_solution", "Sans solution"
    RETIREE = "retiree", "Retirée par la famille"
    CLOTUREE = "cloturee", "Clôturée (sans réponse de la famille)"


STATUTS_OUVERTS = (
    Statut.NOUVELLE,
    Statut.PRISE_EN_CHARGE,
    Statut.RDV_PROPOSE,
    Statut.RDV_REALISE,
    Statut.PROPOSITIONS_FAITES,
)
STATUTS_FERMES = (Statut.SOLUTION_TROUVEE, Statut.SANS_SOLUTION, Statut.RETIREE, Statut.CLOTUREE)


class Mode(models.TextChoices):
    ASSMAT = "assmat", "Assistant·e maternel·le"
    CRECHE = "creche", "Crèche / EAJE"
    MAM = "mam", "Maison d'assistants maternels (MAM)"
    DOMICILE = "domicile", "Garde à domicile"
    INDIFFERENT = "indifferent", "Pas de préférence"


class Situation(models.TextChoices):
    EMPLOI = "emploi", "En emploi"
    RECHERCHE_EMPLOI = "recherche_emploi", "En recherche d'emploi"
    FORMATION = "formation", "En formation"
    INSERTION = "insertion", "En parcours d'insertion"
    AUTRE = "autre", "Autre (congé parental, sans activité…)"


# Job seekers, trainees and people in an insertion path weigh in the ranking.
SITUATIONS_INSERTION = (Situation.RECHERCHE_EMPLOI, Situation.FORMATION, Situation.INSERTION)


class TrancheQf(models.TextChoices):
    MOINS_700 = "moins_700", "Moins de 700 €"
    DE_700_A_1200 = "700_1200", "De 700 à 1 200 €"
    PLUS_1200 = "plus_1200", "Plus de 1 200 €"


class MotifUrgence(models.TextChoices):
    ENTRETIEN = "entretien", "Entretien d'embauche"
    FORMATION = "formation", "Entrée en formation"
    REPRISE_EMPLOI = "reprise_emploi", "Reprise d'emploi"


class Jour(models.IntegerChoices):
    LUNDI = 0, "Lundi"
    MARDI = 1, "Mardi"
    MERCREDI = 2, "Mercredi"
    JEUDI = 3, "Jeudi"
    VENDREDI = 4, "Vendredi"
    SAMEDI = 5, "Samedi"
    DIMANCHE = 6, "Dimanche"


class Atypique(models.TextChoices):
    TOT = "tot", "Avant 7 h"
    TARD = "tard", "Après 19 h"
    SAMEDI = "samedi", "Samedi"
    DIMANCHE = "dimanche", "Dimanche"
    NUIT = "nuit", "Nuit (22 h – 6 h)"


def normaliser_prenom(prenom: str) -> str:
    """Case, accents and spaces do not make another child: « Léa » and « lea » are the same."""
    sans_accents = unicodedata.normalize("NFKD", prenom).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.lower().replace("-", " ").split())


def _heure(valeur: str) -> time:
    return time.fromisoformat(valeur)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


MINUIT = 24 * 60


def passe_minuit(creneau: dict) -> bool:
    """A departure at or before the arrival is the next morning's (night care, Friday 21:00 → Saturday 06:00);
    the same time is a 24-hour stay. A departure at 00:00 ends at midnight."""
    return _heure(creneau["fin"]) <= _heure(creneau["debut"]) and _heure(creneau["fin"]) != time(0)


def plages(creneau: dict) -> list[tuple[int, int, int]]:
    """The slot cut at midnight: (day, start, end) in minutes from that day's 0:00, end up to 1440."""
    jour, debut, fin = creneau["jour"], _minutes(_heure(creneau["debut"])), _minutes(_heure(creneau["fin"]))
    if fin == 0:
        return [(jour, debut, MINUIT)]
    if fin > debut:
        return [(jour, debut, fin)]
    return [p for p in ((jour, debut, MINUIT), ((jour + 1) % 7, 0, fin)) if p[2] > p[1]]


def duree_minutes(creneau: dict) -> int:
    return sum(fin - debut for _, debut, fin in plages(creneau))


def creneau_lisible(creneau: dict) -> str:
    """« Lundi 08:30–17:30 », or « Vendredi 21:00 – samedi 06:00 » when it runs past midnight."""
    jour = Jour(creneau["jour"])
    if passe_minuit(creneau):
        lendemain = Jour((creneau["jour"] + 1) % 7).label.lower()
        return f"{jour.label} {creneau['debut']} – {lendemain} {creneau['fin']}"
    return f"{jour.label} {creneau['debut']}–{creneau['fin']}"


def horaires_atypiques(creneaux: list[dict]) -> list[str]:
    """Atypical-hour flags of a weekly schedule [{jour, debut, fin}], in a stable order. A night slot counts on
    both days it touches: Friday 21:00 → Saturday 06:00 is late, night, early and Saturday."""
    drapeaux = set()
    for creneau in creneaux:
        for jour, debut, fin in plages(creneau):
            if debut < 7 * 60:
                drapeaux.add(Atypique.TOT)
            if fin > 19 * 60:
                drapeaux.add(Atypique.TARD)
            if debut < 6 * 60 or fin > 22 * 60:
                drapeaux.add(Atypique.NUIT)
            if jour == Jour.SAMEDI:
                drapeaux.add(Atypique.SAMEDI)
            if jour == Jour.DIMANCHE:
                drapeaux.add(Atypique.DIMANCHE)
    return [valeur for valeur in Atypique.values if valeur in drapeaux]


# An urgent need starts within days; beyond this, the request's urgency and start date contradict each other.
DEBUT_D_UNE_URGENCE = timedelta(days=14)


class CompteurReference(models.Model):
    """Last reference number given in a year; the row is locked by the upsert that increments it."""

    annee = models.PositiveIntegerField("année", primary_key=True)
    dernier = models.PositiveIntegerField("dernier numéro", default=0)

    class Meta:
        verbose_name = "compteur de références"

    def __str__(self) -> str:
        return f"{self.annee}: {self.dernier}"


class Source(models.TextChoices):
    EN_LIGNE = "en_ligne", "En ligne, par la famille"
    TELEPHONE = "telephone", "Par téléphone, saisie par le relais"
    ACCUEIL = "accueil", "À l'accueil du relais, saisie par le relais"
    # France Travail or a social service referred the family, with its consent (`orientations`).
    ORIENTATION = "orientation", "Orientée par un partenaire, avec l'accord de la famille"


class SolutionHorsProposition(models.TextChoices):
    FAMILLE = "famille", "Trouvée par la famille elle-même"
    COMMISSION = "commission", "Place attribuée par la commission d'une crèche"
    AUTRE_SERVICE = "autre_service", "Trouvée par un autre service (PMI, CCAS, employeur…)"
    AUTRE = "autre", "Autre (précisée dans la description)"


class Demande(models.Model):
    Statut = Statut
    Source = Source

    # The request's life, declared once: (from, to) → the services that make the move. Unlike a convention's, one
    # move may be made by several services (cancelling the appointment and noting the family absent both bring the
    # request back « prise en charge »), hence a tuple. Each service refuses a request whose status is not a start
    # of its moves (`services.exiger_transition`); the page asks `selectors.actions_possibles` what a person may do
    # now; tests/demandes/test_transitions.py walks the table. Filing creates the request « nouvelle »; a private
    # note or an accepted invitation, allowed in any status, is no move. The nightly job makes `cloturer`'s moves,
    # an account's deletion `retirer`'s (`anonymisation.retirer_pour_suppression_du_compte`).
    TRANSITIONS = {
        # While the request is open, the family changes it or withdraws it and a proposed childminder answers.
        (Statut.NOUVELLE, Statut.NOUVELLE): ("modifier", "repondre_proposition"),
        (Statut.NOUVELLE, Statut.PRISE_EN_CHARGE): ("prendre_en_charge",),
        (Statut.NOUVELLE, Statut.RETIREE): ("retirer",),
        (Statut.PRISE_EN_CHARGE, Statut.PRISE_EN_CHARGE): ("modifier", "repondre_proposition"),
        (Statut.PRISE_EN_CHARGE, Statut.RDV_PROPOSE): ("proposer_rendez_vous",),
        (Statut.PRISE_EN_CHARGE, Statut.SANS_SOLUTION): ("declarer_sans_solution",),
        (Statut.PRISE_EN_CHARGE, Statut.RETIREE): ("retirer",),
        # Moved, confirmed or to be moved, the appointment still awaits the family (a new time restarts the delay
        # before closing); cancelled or missed, another one is to be offered.
        (Statut.RDV_PROPOSE, Statut.RDV_PROPOSE): (
            "deplacer_rendez_vous",
            "confirmer_rendez_vous",
            "demander_deplacement",
            "modifier",
            "repondre_proposition",
        ),
        (Statut.RDV_PROPOSE, Statut.PRISE_EN_CHARGE): ("annuler_rendez_vous", "noter_famille_absente"),
        (Statut.RDV_PROPOSE, Statut.RDV_REALISE): ("noter_rendez_vous_realise",),
        (Statut.RDV_PROPOSE, Statut.SANS_SOLUTION): ("declarer_sans_solution",),
        (Statut.RDV_PROPOSE, Statut.CLOTUREE): ("cloturer",),
        (Statut.RDV_PROPOSE, Statut.RETIREE): ("retirer",),
        (Statut.RDV_REALISE, Statut.RDV_REALISE): ("modifier", "repondre_proposition"),
        (Statut.RDV_REALISE, Statut.PROPOSITIONS_FAITES): ("enregistrer_proposition",),
        (Statut.RDV_REALISE, Statut.SANS_SOLUTION): ("declarer_sans_solution",),
        (Statut.RDV_REALISE, Statut.RETIREE): ("retirer",),
        (Statut.PROPOSITIONS_FAITES, Statut.PROPOSITIONS_FAITES): (
            "enregistrer_proposition",
            "modifier",
            "repondre_proposition",
        ),
        (Statut.PROPOSITIONS_FAITES, Statut.SOLUTION_TROUVEE): ("enregistrer_solution",),
        (Statut.PROPOSITIONS_FAITES, Statut.SANS_SOLUTION): ("declarer_sans_solution",),
        (Statut.PROPOSITIONS_FAITES, Statut.CLOTUREE): ("cloturer",),
        (Statut.PROPOSITIONS_FAITES, Statut.RETIREE): ("retirer",),
        # Solution trouvée, sans solution, retirée, clôturée: closed, no move.
    }

    reference = models.CharField(
        "référence", max_length=15, unique=True, validators=[RegexValidator(REFERENCE_REGEX)], editable=False
    )
    jeton_depot = models.UUIDField(
        "jeton de dépôt",
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Rend le dépôt idempotent : un formulaire renvoyé deux fois ne crée qu'une demande.",
    )
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.NOUVELLE)
    statut_modifie_at = models.DateTimeField("statut depuis le", default=timezone.now)
    date_depot = models.DateTimeField("déposée le", default=timezone.now)
    # Only online requests count for mission 1 (« demandes en ligne »); a request the relais typed for a family
    # counts everywhere else.
    source = models.CharField("reçue", max_length=11, choices=Source.choices, default=Source.EN_LIGNE)
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demandes_saisies",
        verbose_name="saisie par",
    )
    prise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demandes_prises",
        verbose_name="prise en charge par",
    )

    # Family and contact.
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="demandes", verbose_name="parent"
    )
    telephone = models.CharField("téléphone", max_length=20)
    second_responsable_prenom = models.CharField("prénom du second responsable", max_length=150, blank=True)
    second_responsable_nom = models.CharField("nom du second responsable", max_length=150, blank=True)
    second_responsable_email = models.EmailField("e-mail du second responsable", blank=True)
    second_responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_second_responsable",
        verbose_name="compte du second responsable",
    )
    code_postal = models.CharField("code postal", max_length=5)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", verbose_name="commune")
    relais = models.ForeignKey(Relais, on_delete=models.PROTECT, related_name="demandes", verbose_name="relais")

    # The child.
    enfant_prenom = models.CharField("prénom de l'enfant", max_length=100)
    enfant_prenom_normalise = models.CharField(max_length=100, editable=False)
    enfant_a_naitre = models.BooleanField("enfant à naître", default=False)
    enfant_date = models.DateField("date de naissance ou date prévue")
    premier_enfant = models.BooleanField("premier enfant du foyer", default=False)
    periscolaire = models.BooleanField(
        "accueil périscolaire", default=False, help_text="Enfant scolarisé : l'accueil est possible jusqu'à 11 ans."
    )
    handicap = models.BooleanField("enfant en situation de handicap", default=False)

    # The need.
    date_debut_souhaitee = models.DateField("date de début souhaitée")
    creneaux = models.JSONField("planning hebdomadaire", default=list)
    horaires_atypiques = ArrayField(
        models.CharField(max_length=10, choices=Atypique.choices), verbose_name="horaires atypiques", default=list
    )
    modes = ArrayField(
        models.CharField(max_length=15, choices=Mode.choices), verbose_name="modes souhaités (par préférence)"
    )

    # Family situation.
    parent_isole = models.BooleanField("parent isolé", default=False)
    situation_parent1 = models.CharField("situation du parent", max_length=20, choices=Situation.choices)
    situation_parent2 = models.CharField(
        "situation du second parent", max_length=20, choices=Situation.choices, blank=True
    )
    rsa = models.BooleanField("bénéficiaire du RSA", default=False)
    quotient_familial = models.PositiveIntegerField(
        "quotient familial (€)", null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    tranche_qf = models.CharField("tranche de quotient familial", max_length=10, choices=TrancheQf.choices, blank=True)
    numero_caf = models.CharField(
        "numéro d'allocataire CAF", max_length=7, blank=True, validators=[RegexValidator(NUMERO_CAF_REGEX)]
    )

    # Urgency and the rest.
    urgence = models.BooleanField("besoin urgent (sous 24 h)", default=False)
    urgence_motif = models.CharField("motif de l'urgence", max_length=20, choices=MotifUrgence.choices, blank=True)
    commentaire = models.TextField("commentaire", blank=True, max_length=2000)
    consentement_at = models.DateTimeField("consentement au traitement des données le")

    # Outcome.
    motif_fin = models.TextField("motif (retrait, sans solution)", blank=True)
    solution_mode = models.CharField("mode de la solution", max_length=15, choices=Mode.choices, blank=True)
    solution_description = models.TextField("solution obtenue", blank=True)
    # A solution either comes from one of the request's proposals, or says where else it came from.
    proposition_retenue = models.ForeignKey(
        "Proposition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="proposition retenue",
    )
    solution_hors_proposition = models.CharField(
        "solution hors des propositions", max_length=20, choices=SolutionHorsProposition.choices, blank=True
    )
    # Set once the personal data are blanked (account deleted, or retention period over); never twice.
    anonymise_le = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    # The queue's ranking key, written by PostgreSQL triggers (migration 0007), never by Python: see
    # demandes.selectors.list_file_d_attente.
    cle_urgence = models.DateTimeField(null=True, editable=False)
    cle_classement = models.IntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "demande d'accueil"
        verbose_name_plural = "demandes d'accueil"
        ordering = ["-date_depot", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source=Source.EN_LIGNE, saisie_par__isnull=True)
                | (Q(source__in=[Source.TELEPHONE, Source.ACCUEIL, Source.ORIENTATION]) & Q(saisie_par__isnull=False)),
                name="demande_saisie_par_le_relais_dit_qui",
                violation_error_message=(
                    "Une demande saisie par le relais (téléphone, accueil) ou par un partenaire dit qui l'a saisie."
                ),
            ),
            models.CheckConstraint(
                condition=Q(statut__in=Statut.values),
                name="demande_statut_connu",
                violation_error_message="Ce statut de demande n'existe pas.",
            ),
            models.CheckConstraint(
                condition=Q(reference__regex=REFERENCE_REGEX),
                name="demande_reference_format",
                violation_error_message="La référence de la demande n'a pas le format attendu.",
            ),
            # A request in progress has an animator; a new one has none yet.
            models.CheckConstraint(
                condition=Q(statut=Statut.NOUVELLE, prise_par__isnull=True)
                | Q(statut=Statut.RETIREE)
                | (~Q(statut__in=[Statut.NOUVELLE, Statut.RETIREE]) & Q(prise_par__isnull=False)),
                name="demande_en_cours_a_une_animatrice",
                violation_error_message=(
                    "Une demande en cours est suivie par une animatrice ; une demande nouvelle n'en a pas encore."
                ),
            ),
            # Once and only once: one open request per parent and child.
            models.UniqueConstraint(
                fields=["parent", "enfant_prenom_normalise", "enfant_date"],
                condition=Q(statut__in=STATUTS_OUVERTS),
                name="demande_ouverte_unique_par_enfant",
                violation_error_message=(
                    "Une demande est déjà ouverte pour cet enfant : reprenez-la plutôt que d'en déposer une seconde."
                ),
            ),
            models.CheckConstraint(
                condition=Q(numero_caf="") | Q(numero_caf__regex=NUMERO_CAF_REGEX),
                name="demande_numero_caf_7_chiffres",
                violation_error_message="Le numéro d'allocataire CAF compte 7 chiffres.",
            ),
            models.CheckConstraint(
                condition=Q(urgence=False, urgence_motif="") | Q(urgence=True, urgence_motif__in=MotifUrgence.values),
                name="demande_urgence_motivee",
                violation_error_message="Une demande urgente indique son motif, et seule une demande urgente en a un.",
            ),
            models.CheckConstraint(
                condition=Q(modes__len__gte=1),
                name="demande_au_moins_un_mode",
                violation_error_message="Choisissez au moins un mode d'accueil.",
            ),
            models.CheckConstraint(
                condition=Q(date_debut_souhaitee__gte=F("enfant_date")),
                name="demande_debut_apres_naissance",
                violation_error_message="La date de début de l'accueil ne peut pas précéder la naissance de l'enfant.",
            ),
            models.CheckConstraint(
                condition=~Q(enfant_prenom_normalise=""),
                name="demande_prenom_enfant_renseigne",
                violation_error_message="Indiquez le prénom de l'enfant.",
            ),
            models.CheckConstraint(
                condition=Q(proposition_retenue__isnull=True) | Q(solution_hors_proposition=""),
                name="demande_solution_d_une_seule_origine",
                violation_error_message=(
                    "Une solution vient d'une proposition retenue ou d'ailleurs (raison indiquée), pas des deux."
                ),
            ),
            models.CheckConstraint(
                condition=Q(statut=Statut.SOLUTION_TROUVEE)
                | Q(proposition_retenue__isnull=True, solution_hors_proposition=""),
                name="demande_origine_de_la_solution_si_trouvee",
                violation_error_message="Seule une demande dont la solution est trouvée dit d'où elle vient.",
            ),
            models.CheckConstraint(
                condition=Q(code_postal__regex=r"^[0-9]{5}$"),
                name="demande_code_postal_format",
                violation_error_message="Le code postal compte 5 chiffres.",
            ),
        ]
        indexes = [
            models.Index(fields=["relais", "statut", "date_depot"], name="demande_file_idx"),
            models.Index(fields=["parent", "statut"], name="demande_parent_idx"),
            # The queue's ORDER BY ... LIMIT 25, read in index order (open requests only).
            models.Index(
                "relais",
                F("cle_urgence").asc(nulls_last=True),
                F("cle_classement").desc(),
                "date_depot",
                "id",
                condition=Q(statut__in=STATUTS_OUVERTS),
                name="demande_file_classee_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.enfant_prenom}"

    def urgence_contredite(self, aujourd_hui: date) -> bool:
        """An answer within 24 h (job interview, training, return to work) for care wanted weeks later: a box
        ticked by mistake, or a start date typed wrong. The animatrice checks with the family."""
        return self.urgence and self.date_debut_souhaitee > aujourd_hui + DEBUT_D_UNE_URGENCE

    @property
    def est_ouverte(self) -> bool:
        return self.statut in STATUTS_OUVERTS

    @property
    def libelles_modes(self) -> list[str]:
        return [Mode(mode).label for mode in self.modes]

    @property
    def libelles_atypiques(self) -> list[str]:
        return [Atypique(valeur).label for valeur in self.horaires_atypiques]

    @property
    def creneaux_lisibles(self) -> list[str]:
        return [creneau_lisible(c) for c in self.creneaux]


def statuts_de_depart(service: str) -> frozenset[str]:
    """The statuses from which `service` may move a request, read from `Demande.TRANSITIONS`."""
    return frozenset(de for (de, _vers), noms in Demande.TRANSITIONS.items() if service in noms)


def services_depuis(statut: str) -> frozenset[str]:
    """The services that may move a request from `statut`, read from `Demande.TRANSITIONS`."""
    return frozenset(nom for (de, _vers), noms in Demande.TRANSITIONS.items() if de == statut for nom in noms)


class HistoriqueDemande(models.Model):
    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="historique")
    de = models.CharField("de", max_length=20, choices=Statut.choices, blank=True)
    vers = models.CharField("vers", max_length=20, choices=Statut.choices)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField("note", blank=True)
    created_at = models.DateTimeField("le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "historique de la demande"
        verbose_name_plural = "historiques des demandes"
        ordering = ["created_at", "pk"]
        indexes = [
            # The indicators' first action / closing date per request: MIN(created_at) for one request and
            # status(es), read from the index alone instead of every history row of the request.
            models.Index(fields=["demande", "vers", "created_at"], name="historique_demande_vers_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.demande_id}: {self.de or '∅'} → {self.vers}"


class RendezVous(models.Model):
    """One appointment, from its proposal to its outcome: moving it changes this row (the family's calendar
    updates the same event, `sequence` counts its versions), cancelling it keeps it with its reason."""

    class Modalite(models.TextChoices):
        SUR_PLACE = "sur_place", "Au relais ou dans un lieu indiqué"
        TELEPHONE = "telephone", "Par téléphone"

    class Statut(models.TextChoices):
        PREVU = "prevu", "Prévu"
        REALISE = "realise", "Réalisé"
        FAMILLE_ABSENTE = "famille_absente", "Famille absente"
        ANNULE = "annule", "Annulé"

    class ReponseFamille(models.TextChoices):
        CONFIRME = "confirme", "Confirmé par la famille"
        A_DEPLACER = "a_deplacer", "La famille souhaite le déplacer"

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="rendez_vous")
    debut = models.DateTimeField("date et heure")
    duree_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", default=45, validators=[MinValueValidator(10), MaxValueValidator(240)]
    )
    modalite = models.CharField("modalité", max_length=10, choices=Modalite.choices)
    lieu = models.CharField("lieu", max_length=250, blank=True)
    # Database defaults too: the bench and the demo insert appointments in bulk, without these columns.
    statut = models.CharField(
        "issue", max_length=15, choices=Statut.choices, default=Statut.PREVU, db_default=Statut.PREVU
    )
    issue_le = models.DateTimeField("issue notée le", null=True, blank=True)
    motif_annulation = models.TextField("motif de l'annulation", blank=True, default="", db_default="")
    # RFC 5545 SEQUENCE: each new version of the invitation (moved, cancelled) has a higher one, so that the
    # family's calendar replaces the event instead of adding a second one.
    sequence = models.PositiveIntegerField("version de l'invitation", default=0, db_default=0)
    reponse_famille = models.CharField(
        "réponse de la famille", max_length=10, choices=ReponseFamille.choices, blank=True, default="", db_default=""
    )
    reponse_famille_le = models.DateTimeField("réponse de la famille le", null=True, blank=True)
    message_famille = models.TextField("message de la famille", blank=True, default="", db_default="")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["-debut", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(modalite="telephone") | (Q(modalite="sur_place") & ~Q(lieu="")),
                name="rendez_vous_sur_place_a_un_lieu",
                violation_error_message="Un rendez-vous sur place indique son lieu.",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=["prevu", "realise", "famille_absente", "annule"]),
                name="rendez_vous_statut_connu",
                violation_error_message="Cette issue de rendez-vous n'existe pas.",
            ),
            models.CheckConstraint(
                condition=Q(statut="prevu", issue_le__isnull=True) | (~Q(statut="prevu") & Q(issue_le__isnull=False)),
                name="rendez_vous_issue_datee",
                violation_error_message=(
                    "Un rendez-vous prévu n'a pas encore d'issue ; une issue (réalisé, famille absente, annulé) "
                    "est datée."
                ),
            ),
            # Held or missed is a fact about the past: never noted before the appointment's start.
            models.CheckConstraint(
                condition=~Q(statut__in=["realise", "famille_absente"]) | Q(issue_le__gte=F("debut")),
                name="rendez_vous_issue_apres_son_debut",
                violation_error_message="Le rendez-vous n'a pas encore eu lieu : son issue se note après son début.",
            ),
            models.CheckConstraint(
                condition=Q(statut="annule", motif_annulation__regex=r"\S")
                | (~Q(statut="annule") & Q(motif_annulation="")),
                name="rendez_vous_annulation_motivee",
                violation_error_message=(
                    "Un rendez-vous annulé indique pourquoi, et seul un rendez-vous annulé a un motif."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reponse_famille="", reponse_famille_le__isnull=True)
                | Q(reponse_famille__in=["confirme", "a_deplacer"], reponse_famille_le__isnull=False),
                name="rendez_vous_reponse_famille_datee",
                violation_error_message="La réponse de la famille au rendez-vous est datée.",
            ),
            models.UniqueConstraint(
                fields=["demande"],
                condition=Q(statut="prevu"),
                name="rendez_vous_un_seul_prevu_par_demande",
                violation_error_message=(
                    "Un rendez-vous est déjà prévu pour cette demande : déplacez-le plutôt que d'en proposer un autre."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demande_id} – {self.debut:%d/%m/%Y %H:%M}"

    @property
    def fin(self):
        return self.debut + timedelta(minutes=self.duree_minutes)


class Proposition(models.Model):
    """A proposal made to the family: a childminder or a structure found by matching, or free text."""

    class Reponse(models.TextChoices):
        ACCEPTE = "accepte", "accepte d'être contactée"
        DECLINE = "decline", "décline"

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="propositions")
    mode = models.CharField("mode", max_length=15, choices=Mode.choices)
    description = models.TextField("description")
    assistant_maternel = models.ForeignKey(
        "assmats.AssistantMaternel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="propositions_recues",
        verbose_name="assistant maternel proposé",
    )
    structure = models.ForeignKey(
        "assmats.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="propositions_recues",
        verbose_name="structure proposée",
    )
    reponse_assmat = models.CharField(
        "réponse de l'assistant maternel", max_length=10, choices=Reponse.choices, blank=True
    )
    repondu_le = models.DateTimeField("réponse le", null=True, blank=True)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "proposition"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assistant_maternel__isnull=True) | Q(structure__isnull=True),
                name="proposition_une_seule_offre",
                violation_error_message=(
                    "Une proposition porte sur un assistant maternel ou sur une structure, pas les deux."
                ),
            ),
            # Only a proposed childminder answers, and an answer is dated.
            models.CheckConstraint(
                condition=Q(reponse_assmat="", repondu_le__isnull=True)
                | Q(
                    assistant_maternel__isnull=False,
                    repondu_le__isnull=False,
                    reponse_assmat__in=["accepte", "decline"],
                ),
                name="proposition_reponse_datee",
                violation_error_message="Seul un assistant maternel proposé répond, et sa réponse est datée.",
            ),
            models.UniqueConstraint(
                fields=["demande", "assistant_maternel"],
                condition=Q(assistant_maternel__isnull=False),
                name="proposition_assmat_une_fois_par_demande",
                violation_error_message="Cet assistant maternel a déjà été proposé pour cette demande.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demande_id} – {self.get_mode_display()}"


class NotePrivee(models.Model):
    """Visible to the relais only, never to the family."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="notes_privees")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField("note", max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "note privée"
        verbose_name_plural = "notes privées"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.demande_id} – {self.created_at:%d/%m/%Y}"


class BrouillonDemande(models.Model):
    """The multi-step form in progress, one per parent: it can be left and resumed.

    `jeton` travels in the final form; submitting twice with it creates one request only.
    `demande` is set when the draft modifies an existing request.
    """

    parent = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brouillon")
    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    donnees = models.JSONField(default=dict)
    jeton = models.UUIDField(default=uuid.uuid4)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "brouillon de demande"

    def __str__(self) -> str:
        return f"Brouillon de {self.parent_id}"


class ParametresClassement(models.Model):
    """Published ranking weights of a relais (defaults from the domain brief)."""

    relais = models.OneToOneField(Relais, on_delete=models.CASCADE, related_name="parametres_classement")
    poids_urgence = models.PositiveSmallIntegerField(
        "besoin urgent sous 24 h (entretien, formation, reprise d'emploi)", default=50
    )
    poids_insertion = models.PositiveSmallIntegerField(
        "parent en recherche d'emploi, en formation ou en parcours d'insertion", default=20
    )
    poids_bas_revenus = models.PositiveSmallIntegerField("RSA ou quotient familial sous le seuil", default=20)
    seuil_qf = models.PositiveIntegerField("seuil de quotient familial (€)", default=700)
    poids_parent_isole = models.PositiveSmallIntegerField("parent isolé avec un enfant de moins de 3 ans", default=15)
    poids_premier_enfant = models.PositiveSmallIntegerField(
        "premier enfant attendu et revenus modestes (PEPIT P1)", default=10
    )
    poids_handicap = models.PositiveSmallIntegerField("enfant en situation de handicap", default=15)
    poids_semaine_attente = models.PositiveSmallIntegerField(
        "par semaine d'attente (chaque lundi passé depuis le dépôt)", default=1
    )
    delai_sans_reponse_jours = models.PositiveSmallIntegerField(
        "clôture sans réponse de la famille après (jours)",
        default=60,
        validators=[MinValueValidator(7)],
        help_text="Une demande en attente de la famille (rendez-vous proposé, propositions faites) est clôturée "
        "après ce délai.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "paramètres de classement"
        verbose_name_plural = "paramètres de classement"
        ordering = ["relais__nom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delai_sans_reponse_jours__gte=7),
                name="parametres_delai_minimum",
                violation_error_message="Le délai avant clôture sans réponse est d'au moins 7 jours.",
            )
        ]

    def __str__(self) -> str:
        return f"Classement – {self.relais}"


def sujet_des_emails(demande_id: int) -> str:
    """The outbox's label (`courriels.Email.sujet_de`) of the e-mails about a request: erased with it."""
    return f"demandes.demande:{demande_id}"


class VersionDeLaFile(models.Model):
    """Changes with every committed transaction that writes a request of the relais or its ranking weights:
    the queue's rendered rows are cached under the versions of the user's relais (demandes.selectors.
    cle_de_la_file). Written only by the database's triggers (migration 0013), never by Python."""

    relais = models.OneToOneField(Relais, on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.BigIntegerField()

    class Meta:
        verbose_name = "version de la file d'attente"

    def __str__(self) -> str:
        return f"File – relais {self.relais_id} : {self.version}"
