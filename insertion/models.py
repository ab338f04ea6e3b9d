"""Insertion: AVIP crèche places attributed to a family (3 months, renewable once, art. D214-7 CASF) and the
PEPIT « parcours attentionné » (6 months of follow-up for the priority publics P1 and P2)."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone

# An AVIP place lasts 3 months and is renewed once at most (D214-7 CASF); a parcours lasts 6 months.
MOIS_PAR_PERIODE_AVIP = 3
RENOUVELLEMENTS_AVIP_MAX = 1
MOIS_DU_PARCOURS = 6


class PlusMois(Func):
    """`date + n months` as PostgreSQL computes it: 30 November + 3 months is 28 (or 29) February, the same as
    `relativedelta`, so that the database checks the very date the services compute."""

    template = "((%(expressions)s + make_interval(months => %(mois)s))::date)"
    output_field = models.DateField()


def plus_mois(jour: date, mois: int) -> date:
    return jour + relativedelta(months=mois)


def fin_de_la_place(debut: date, renouvellements: int) -> date:
    """The end of the place's current period: each period adds 3 months to the start."""
    return plus_mois(debut, MOIS_PAR_PERIODE_AVIP * (renouvellements + 1))


class AttributionAvip(models.Model):
    """An AVIP place of a crèche given to a family whose parent looks for a job or trains: from `debut` to `fin`
    (exclusive: the place is due until the day before), renewed at most once for 3 more months."""

    class Statut(models.TextChoices):
        EN_COURS = "en_cours", "En cours"
        TERMINEE = "terminee", "Terminée"

    class Terminaison(models.TextChoices):
        TERME = "terme", "Arrivée à son terme"
        ANTICIPEE = "anticipee", "Fin anticipée"

    # The place's moves, declared once: (from, to) → the service that makes it. Renewing keeps it « en cours ».
    TRANSITIONS = {
        (Statut.EN_COURS, Statut.EN_COURS): "renouveler_place_avip",
        (Statut.EN_COURS, Statut.TERMINEE): "terminer_place_avip",
    }

    demande = models.ForeignKey(
        "demandes.Demande", on_delete=models.CASCADE, related_name="attributions_avip", verbose_name="demande"
    )
    structure = models.ForeignKey(
        "assmats.Structure", on_delete=models.PROTECT, related_name="attributions_avip", verbose_name="crèche"
    )
    debut = models.DateField("début")
    fin = models.DateField("fin de la période en cours")
    renouvellements = models.PositiveSmallIntegerField("renouvellements", default=0)
    statut = models.CharField("statut", max_length=10, choices=Statut.choices, default=Statut.EN_COURS)
    terminaison = models.CharField("fin", max_length=10, choices=Terminaison.choices, blank=True)
    terminee_le = models.DateField("terminée le", null=True, blank=True)
    motif_fin = models.TextField("motif de la fin anticipée", blank=True, max_length=1000)
    # The end (`fin`) of the period whose reminder was sent: one reminder per period, whatever the reruns.
    rappel_envoye_pour = models.DateField("rappel envoyé pour la fin du", null=True, blank=True)
    attribuee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="attribuée par"
    )
    created_at = models.DateTimeField("attribuée le", default=timezone.now)
    anonymise_le = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "place AVIP attribuée"
        verbose_name_plural = "places AVIP attribuées"
        ordering = ["-debut", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(renouvellements__lte=RENOUVELLEMENTS_AVIP_MAX),
                name="avip_renouvelee_une_fois_au_plus",
                violation_error_message="Une place AVIP ne se renouvelle qu'une fois.",
            ),
            models.CheckConstraint(
                condition=Q(renouvellements=0, fin=PlusMois(F("debut"), mois=MOIS_PAR_PERIODE_AVIP))
                | Q(renouvellements=1, fin=PlusMois(F("debut"), mois=2 * MOIS_PAR_PERIODE_AVIP)),
                name="avip_fin_trois_mois_par_periode",
                violation_error_message="Une place AVIP dure 3 mois à partir de son début, 6 mois si renouvelée.",
            ),
            models.CheckConstraint(
                condition=Q(statut="en_cours", terminaison="", terminee_le__isnull=True, motif_fin="")
                | Q(statut="terminee", terminaison="terme", terminee_le=F("fin"), motif_fin="")
                | Q(
                    statut="terminee",
                    terminaison="anticipee",
                    terminee_le__gte=F("debut"),
                    terminee_le__lt=F("fin"),
                    motif_fin__regex=r"\S",
                ),
                name="avip_fin_datee_et_motivee",
                violation_error_message=(
                    "Une place terminée dit quand ; avant son terme, elle dit pourquoi et se termine entre son début "
                    "et sa fin."
                ),
            ),
            models.UniqueConstraint(
                fields=["demande"],
                condition=Q(statut="en_cours"),
                name="avip_une_place_en_cours_par_demande",
                violation_error_message="Une place AVIP est déjà en cours pour cette demande.",
            ),
        ]
        indexes = [models.Index(fields=["statut", "fin"], name="avip_en_cours_fin_idx")]

    def __str__(self) -> str:
        return f"{self.structure_id} – {self.demande_id} ({self.debut:%d/%m/%Y})"

    @property
    def fin_premiere_periode(self) -> date:
        return fin_de_la_place(self.debut, 0)

    @property
    def peut_etre_renouvelee(self) -> bool:
        return self.statut == self.Statut.EN_COURS and self.renouvellements < RENOUVELLEMENTS_AVIP_MAX


class HistoriqueAvip(models.Model):
    """Who did what to a place, and when: attributed, renewed, ended, reminded."""

    class Evenement(models.TextChoices):
        ATTRIBUEE = "attribuee", "Place attribuée"
        RENOUVELEE = "renouvelee", "Place renouvelée"
        TERMINEE = "terminee", "Fin anticipée"
        TERME = "terme", "Arrivée à son terme"
        RAPPEL = "rappel", "Rappel de fin de période envoyé"

    attribution = models.ForeignKey(AttributionAvip, on_delete=models.CASCADE, related_name="historique")
    evenement = models.CharField("événement", max_length=12, choices=Evenement.choices)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField("note", blank=True)
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "historique d'une place AVIP"
        verbose_name_plural = "historiques des places AVIP"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.attribution_id}: {self.evenement}"


class Public(models.TextChoices):
    P1 = "p1", "P1 – premier enfant attendu, revenus modestes"
    P2 = "p2", "P2 – famille monoparentale, enfant de moins de 3 ans"


class ParcoursAttentionne(models.Model):
    """A PEPIT « parcours attentionné »: 6 months of follow-up of a P1 or P2 family, closed with an outcome."""

    class Statut(models.TextChoices):
        OUVERT = "ouvert", "Ouvert"
        CLOS = "clos", "Clos"

    class Issue(models.TextChoices):
        MODE_ACCUEIL = "mode_accueil", "Mode d'accueil trouvé"
        EMPLOI_FORMATION = "emploi_formation", "Emploi ou formation"
        ABANDON = "abandon", "Abandon de la famille"
        SANS_SOLUTION = "sans_solution", "Fin de parcours sans solution"

    TRANSITIONS = {(Statut.OUVERT, Statut.CLOS): "cloturer_parcours"}

    demande = models.ForeignKey(
        "demandes.Demande", on_delete=models.CASCADE, related_name="parcours_pepit", verbose_name="demande"
    )
    public = models.CharField("public prioritaire", max_length=2, choices=Public.choices)
    debut = models.DateField("début")
    fin_prevue = models.DateField("fin prévue")
    statut = models.CharField("statut", max_length=10, choices=Statut.choices, default=Statut.OUVERT)
    cloture_le = models.DateField("clos le", null=True, blank=True)
    issue = models.CharField("issue", max_length=20, choices=Issue.choices, blank=True)
    note_cloture = models.TextField("bilan (équipe du relais)", blank=True, max_length=2000)
    ouvert_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="ouvert par"
    )
    cloture_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="clos par",
    )
    created_at = models.DateTimeField("ouvert le", default=timezone.now)
    anonymise_le = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "parcours attentionné (PEPIT)"
        verbose_name_plural = "parcours attentionnés (PEPIT)"
        ordering = ["-debut", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(public__in=["p1", "p2"]),
                name="parcours_public_p1_ou_p2",
                violation_error_message="Un parcours attentionné s'adresse aux publics P1 ou P2.",
            ),
            models.CheckConstraint(
                condition=Q(fin_prevue=PlusMois(F("debut"), mois=MOIS_DU_PARCOURS)),
                name="parcours_six_mois",
                violation_error_message="Un parcours attentionné dure 6 mois à partir de son début.",
            ),
            models.CheckConstraint(
                condition=Q(statut="ouvert", cloture_le__isnull=True, issue="", cloture_par__isnull=True)
                | Q(
                    statut="clos",
                    cloture_le__gte=F("debut"),
                    issue__in=["mode_accueil", "emploi_formation", "abandon", "sans_solution"],
                    cloture_par__isnull=False,
                ),
                name="parcours_clos_avec_une_issue",
                violation_error_message="Un parcours clos dit quand, par qui et avec quelle issue.",
            ),
            models.UniqueConstraint(
                fields=["demande"],
                condition=Q(statut="ouvert"),
                name="parcours_un_ouvert_par_demande",
                violation_error_message="Un parcours attentionné est déjà ouvert pour cette demande.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demande_id} – {self.get_public_display()} ({self.debut:%d/%m/%Y})"


class ContactParcours(models.Model):
    """One follow-up contact of a parcours, held or planned (a future date is the next appointment). The note
    is the team's: the family sees the date and the kind only."""

    class Type(models.TextChoices):
        ENTRETIEN = "entretien", "Entretien"
        APPEL = "appel", "Appel téléphonique"
        ATELIER = "atelier", "Atelier collectif"
        VISITE = "visite", "Visite (crèche, assistante maternelle)"
        COURRIEL = "courriel", "Courriel ou message"

    parcours = models.ForeignKey(ParcoursAttentionne, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField("date")
    type = models.CharField("type de contact", max_length=10, choices=Type.choices)
    note = models.TextField("note (équipe du relais)", blank=True, max_length=1000)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("noté le", default=timezone.now)

    class Meta:
        verbose_name = "contact du parcours"
        verbose_name_plural = "contacts des parcours"
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=["entretien", "appel", "atelier", "visite", "courriel"]),
                name="contact_parcours_type_connu",
                violation_error_message="Ce type de contact n'existe pas.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parcours_id} – {self.date:%d/%m/%Y} {self.type}"


def statuts_de_depart(modele: type[models.Model], service: str) -> frozenset[str]:
    """The statuses from which `service` may move a record of `modele`, read from its `TRANSITIONS`."""
    return frozenset(de for (de, _vers), nom in modele.TRANSITIONS.items() if nom == service)
