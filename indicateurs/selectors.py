"""Reads for the dashboards: they read snapshots (a constant number of queries whatever the data size),
except the drill-down, which reads the records behind one figure."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html

from assmats.models import AssistantMaternel
from demandes.models import Demande
from fichiers.tableur import virgule_decimale
from formation.models import DemandeAccueilAlternatif
from indicateurs.calculs import INDICATEURS, PAR_CODE, Indicateur, codes_de_la_mission
from indicateurs.models import PRIME_EUROS, Calcul, Engagement, HistoriqueEngagement, Snapshot
from relais.models import Departement, Relais

# A state's badge: its colour, and a mark for those who do not read colours (hidden from screen readers, which
# read the word after it).
BADGES = {
    "atteint": ("text-bg-success", "✔"),
    "non_atteint": ("text-bg-danger", "✘"),
    "sans_cible": ("text-bg-light border", ""),
    "indefini": ("text-bg-secondary", "?"),
}


@dataclass
class Chiffre:
    """A snapshot as displayed: value vs target with its mark."""

    indicateur: Indicateur
    snapshot: Snapshot | None
    # Year N still running: the figures are provisional, a target is met « à ce jour ».
    provisoire: bool = False

    @property
    def code(self) -> str:
        return self.indicateur.code

    @property
    def atteint(self) -> bool | None:
        return self.snapshot.atteint if self.snapshot else None

    @property
    def etat(self) -> str:
        """'atteint', 'non_atteint', 'indefini' (undefined figure) or 'sans_cible' (tracked only)."""
        if self.snapshot is None:
            return "indefini"
        if self.snapshot.cible is None:
            return "sans_cible"
        return {True: "atteint", False: "non_atteint", None: "indefini"}[self.snapshot.atteint]

    @property
    def etat_libelle(self) -> str:
        """The state in French, as the page, the CSV and the PDF write it."""
        a_ce_jour = " à ce jour" if self.provisoire else ""
        return {
            "atteint": f"atteint{a_ce_jour}",
            "non_atteint": f"non atteint{a_ce_jour}",
            "sans_cible": "suivi (sans cible)",
            "indefini": "indéfini",
        }[self.etat]

    @property
    def a_une_cible(self) -> bool:
        return self.snapshot is not None and self.snapshot.cible is not None

    @property
    def badge(self) -> str:
        """The state's badge: written here rather than by a template included per cell, the dashboard showing
        a relais' eight figures for every relais of the user's départements."""
        classe, symbole = BADGES[self.etat]
        marque = format_html('<span aria-hidden="true">{}</span> ', symbole) if symbole else ""
        return format_html('<span class="badge {}">{}{}</span>', classe, marque, self.etat_libelle)

    @property
    def expression(self) -> str:
        """The figure as what it is: numerator / denominator = value for a share or a progression only; a median
        with its unit and the counts it reads; a count with what it counts."""
        s = self.snapshot
        if s is None:
            return "pas encore calculé"
        compte = self.indicateur.nombre_de(s.numerateur, 0)
        total = self.indicateur.nombre_de(s.denominateur, 1) if s.denominateur is not None else ""
        if self.indicateur.est_un_rapport:
            if s.valeur is None:
                # Nothing to divide by: say what was counted, never a fraction over zero.
                quoi = "rapport" if self.indicateur.format == "progression" else "part"
                return f"{compte} ; {total} : {quoi} sans objet"
            return f"{s.numerateur} / {s.denominateur} = {self.valeur_affichee}"
        if self.indicateur.format == "jours":
            if s.valeur is None:
                return f"médiane sans objet ({compte} sur {total})"
            return f"médiane : {self.valeur_affichee} ({compte} sur {total})"
        return f"{compte} (sur {total})" if total else compte

    @property
    def valeur_affichee(self) -> str:
        if self.snapshot is None:
            return "—"
        if self.snapshot.valeur is None:
            return "— sans objet"
        return formater(self.indicateur.format, self.snapshot.valeur)

    @property
    def cible_affichee(self) -> str:
        if self.snapshot is None or self.snapshot.cible is None:
            return "—"
        return "≥ " + formater(self.indicateur.format, self.snapshot.cible)


def formater(format_: str, valeur: Decimal | None) -> str:
    if valeur is None:
        return "indéfini"
    if format_ == "taux":
        return f"{valeur * 100:.1f} %".replace(".", ",")
    if format_ == "progression":
        return f"× {valeur:.2f}".replace(".", ",")
    if format_ == "jours":
        return f"{valeur:.1f} jours".replace(".", ",")
    return f"{valeur:.0f}"


def est_provisoire(annee: int) -> bool:
    """Year N is provisional until it is over (and a future year, with nothing in it yet)."""
    return annee >= timezone.localdate().year


def nombre_csv(format_: str, valeur: Decimal | None) -> str:
    """A value in the unit of its CSV column (a share in %), with a decimal comma for French spreadsheets."""
    if valeur is None:
        return ""
    if format_ == "taux":
        texte = f"{valeur * 100:.2f}"
    elif format_ == "progression":
        texte = f"{valeur:.4f}"
    elif format_ == "jours":
        texte = f"{valeur:.2f}"
    else:
        texte = f"{valeur:.0f}"
    return virgule_decimale(texte)


def colonne_valeur(indicateur: Indicateur) -> str:
    return {
        "taux": "part (%)",
        "progression": "rapport N / N-1",
        "jours": "médiane (jours)",
        "nombre": "nombre",
    }[indicateur.format]


@dataclass
class Decision:
    engagement: Engagement | None
    chiffres_mission: list[Chiffre] = field(default_factory=list)
    provisoire: bool = False

    @property
    def mission(self) -> int | None:
        return self.engagement.mission_retenue if self.engagement else None

    @property
    def montant(self) -> int | None:
        """3 000 € when every indicator of the retained mission is met; 0 otherwise; None: no mission engaged."""
        if self.engagement is None:
            return None
        tous = self.chiffres_mission and all(c.atteint is True for c in self.chiffres_mission)
        return PRIME_EUROS if tous else 0

    @property
    def libelle(self) -> str:
        if self.montant is None:
            return "Aucune mission engagée : pas de financement"
        if self.provisoire:
            if self.montant:
                return f"Mission {self.mission} atteinte à ce jour : {self.montant} € (provisoire)"
            return f"Mission {self.mission} non atteinte à ce jour : 0 € (provisoire)"
        if self.montant:
            return f"Mission {self.mission} atteinte : {self.montant} €"
        return f"Mission {self.mission} non atteinte : 0 €"


@dataclass
class LigneRelais:
    relais: Relais
    chiffres: list[Chiffre]
    decision: Decision
    computed_at: object = None


def decision(engagement: Engagement | None, chiffres: list[Chiffre], provisoire: bool = False) -> Decision:
    if engagement is None:
        return Decision(engagement=None, provisoire=provisoire)
    codes = codes_de_la_mission(engagement.mission_retenue)
    return Decision(
        engagement=engagement, chiffres_mission=[c for c in chiffres if c.code in codes], provisoire=provisoire
    )


def lignes_du_tableau(relais: QuerySet[Relais], annee: int) -> list[LigneRelais]:
    """One row per relais: three queries whatever the number of relais and records."""
    relais = list(relais.select_related("departement").order_by("departement__code", "nom", "pk"))
    snapshots = Snapshot.objects.filter(relais__in=relais, annee=annee).defer("ids_numerateur", "ids_denominateur")
    par_relais: dict[int, dict[str, Snapshot]] = {}
    for snapshot in snapshots.order_by("pk"):
        par_relais.setdefault(snapshot.relais_id, {})[snapshot.code] = snapshot
    engagements = {e.relais_id: e for e in Engagement.objects.filter(relais__in=relais, annee=annee).order_by("pk")}
    provisoire = est_provisoire(annee)
    lignes = []
    for r in relais:
        du_relais = par_relais.get(r.pk, {})
        chiffres = [Chiffre(indicateur, du_relais.get(indicateur.code), provisoire) for indicateur in INDICATEURS]
        dates = [s.computed_at for s in du_relais.values()]
        lignes.append(
            LigneRelais(
                relais=r,
                chiffres=chiffres,
                decision=decision(engagements.get(r.pk), chiffres, provisoire),
                computed_at=max(dates) if dates else None,
            )
        )
    return lignes


def total_des_primes(lignes: list[LigneRelais]) -> int:
    return sum(ligne.decision.montant or 0 for ligne in lignes)


def annees_a_calculer(aujourd_hui: date) -> list[int]:
    """The years the nightly run computes: the running one, and the previous one until 31 March (the CAF closes
    the year in the first quarter)."""
    if aujourd_hui.month <= 3:
        return [aujourd_hui.year - 1, aujourd_hui.year]
    return [aujourd_hui.year]


def heure_du_calcul_nocturne() -> str:
    """« 2 h 15 », read from the beat schedule so that the page never tells another hour than the one it runs."""
    horaire = settings.CELERY_BEAT_SCHEDULE["indicateurs-calcul-nocturne"]["schedule"]
    return f"{min(horaire.hour)} h {min(horaire.minute):02d}"


def calcul_de_nuit(annee: int) -> str:
    """When a year's missing figures will be computed without anyone asking, or « » if never (a closed year)."""
    if annee not in annees_a_calculer(timezone.localdate()):
        return ""
    return f"cette nuit à {heure_du_calcul_nocturne()}"


@dataclass
class GroupeDepartement:
    """A département's block of the dashboard: its relais' rows, and its last recomputation run."""

    departement: Departement
    annee: int
    lignes: list[LigneRelais]
    calcul: Calcul | None

    @property
    def total(self) -> int:
        return total_des_primes(self.lignes)

    @property
    def en_cours(self) -> bool:
        """A run is waiting or running: the block polls its status until it ends."""
        return self.calcul is not None and not self.calcul.fini

    @property
    def non_calcules(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.computed_at is None)

    @property
    def calcul_de_nuit(self) -> str:
        return calcul_de_nuit(self.annee)


def groupes_par_departement(relais: QuerySet[Relais], annee: int) -> list[GroupeDepartement]:
    """The dashboard's blocks, one per département: four queries whatever the number of relais."""
    lignes = lignes_du_tableau(relais, annee)
    departement_ids = {ligne.relais.departement_id for ligne in lignes}
    derniers: dict[int, Calcul] = {}
    calculs = Calcul.objects.filter(departement_id__in=departement_ids, annee=annee).order_by(
        "departement_id", "-created_at", "-pk"
    )
    for calcul in calculs.distinct("departement_id"):
        derniers[calcul.departement_id] = calcul
    return [
        GroupeDepartement(departement=dep, annee=annee, lignes=groupe, calcul=derniers.get(dep.pk))
        for dep, groupe in ((d, list(g)) for d, g in groupby(lignes, key=lambda ligne: ligne.relais.departement))
    ]


def get_snapshot(relais: Relais, annee: int, code: str) -> Snapshot | None:
    return Snapshot.objects.filter(relais=relais, annee=annee, code=code).first()


def get_engagement(relais: Relais, annee: int) -> Engagement | None:
    return Engagement.objects.filter(relais=relais, annee=annee).first()


def changements_apres_affichage(relais: Relais, annee: int) -> list[HistoriqueEngagement]:
    """Changes of the retained mission made after the year's figures were shown: flagged on the report."""
    return list(
        HistoriqueEngagement.objects.filter(engagement__relais=relais, engagement__annee=annee, apres_affichage=True)
        .select_related("auteur")
        .order_by("created_at", "pk")
    )


def dernier_calcul(relais: Relais, annee: int) -> Calcul | None:
    return Calcul.objects.filter(relais=relais, annee=annee).order_by("-created_at", "-pk").first()


@dataclass
class Enregistrement:
    identifiant: int
    reference: str
    nom: str = ""


# Which kind of record each indicator's ids point to.
NATURE = {
    "m1_demandes_en_ligne": "demande",
    "m2a_entretiens": "assmat",
    "m2b_disponibilites": "assmat",
    "m3a_departs_formation": "assmat",
    "m3b_accueil_alternatif": "accueil_alternatif",
    "bas_revenus_creche": "demande",
    "delai_premier_rdv": "demande",
    "urgences_24h": "demande",
    "besoins_non_satisfaits": "demande",
}


def enregistrements(code: str, ids: list[int], *, avec_noms: bool, limite: int = 500) -> list[Enregistrement]:
    """The records behind a figure, by id: references always, names only when `avec_noms`."""
    nature = NATURE[PAR_CODE[code].code]
    ids = sorted(ids)[:limite]
    if nature == "demande":
        lignes = (
            Demande.objects.filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "reference", "parent__last_name", "enfant_prenom")
        )
        return [Enregistrement(pk, ref, f"{nom} ({enfant})" if avec_noms else "") for pk, ref, nom, enfant in lignes]
    if nature == "assmat":
        lignes = AssistantMaternel.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "prenom", "nom")
        return [Enregistrement(pk, f"AM-{pk}", f"{prenom} {nom}" if avec_noms else "") for pk, prenom, nom in lignes]
    lignes = (
        DemandeAccueilAlternatif.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "nom_parent", "prenom_enfant")
    )
    return [Enregistrement(pk, f"AA-{pk}", f"{nom} ({enfant})" if avec_noms else "") for pk, nom, enfant in lignes]
