"""Upsert childminders and agréments from the PMI's CSV export.

Columns (UTF-8, `,` or `;` separated, header required): numero_agrement, nom, prenom, email,
telephone, adresse, code_insee, date_delivrance, date_fin_validite (dates YYYY-MM-DD or
DD/MM/YYYY), capacite_totale, capacite_moins_3_ans, capacite_periscolaire (optional).
A row is keyed by its agrément number. Nothing is written unless every row is valid.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from assmats.models import (
    MAX_ENFANTS_SIMULTANES,
    MAX_MOINS_DE_3_ANS,
    Agrement,
    AssistantMaternel,
    HistoriqueAffichage,
)
from comptes.champs import chiffres_ascii
from fichiers.tableur import PREFIXES_DE_FORMULE
from relais.models import Commune

COLONNES = [
    "numero_agrement", "nom", "prenom", "email", "telephone", "adresse", "code_insee",
    "date_delivrance", "date_fin_validite", "capacite_totale", "capacite_moins_3_ans", "capacite_periscolaire",
]  # fmt: skip
OBLIGATOIRES = set(COLONNES) - {"email", "telephone", "adresse", "capacite_periscolaire"}


@dataclass
class Rejet:
    ligne: int
    motif: str


@dataclass
class RapportImport:
    crees: int = 0
    mis_a_jour: int = 0
    rejets: list[Rejet] = field(default_factory=list)
    applique: bool = False

    @property
    def valide(self) -> bool:
        return not self.rejets


@dataclass
class _Ligne:
    numero: str
    nom: str
    prenom: str
    email: str
    telephone: str
    adresse: str
    commune: Commune
    date_delivrance: date
    date_fin_validite: date
    capacite_totale: int
    capacite_moins_3_ans: int
    capacite_periscolaire: int


class _RejetLigne(ValueError):
    pass


def _date(valeur: str, nom: str) -> date:
    for format_ in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(valeur, format_).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise _RejetLigne(f"{nom} « {valeur} » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)")


def _entier(valeur: str, nom: str, maximum: int) -> int:
    if not valeur.isdigit() or not 0 <= int(valeur) <= maximum:
        raise _RejetLigne(f"{nom} « {valeur} » doit être un entier entre 0 et {maximum}")
    return int(valeur)


# The cells an import copies as text into a childminder's record.
TEXTES_LIBRES = ("numero_agrement", "nom", "prenom", "adresse")


def _lire_ligne(row: dict[str, str], communes: dict[str, Commune]) -> _Ligne:
    manquants = sorted(nom for nom in OBLIGATOIRES if not row.get(nom))
    if manquants:
        raise _RejetLigne("champ(s) vide(s) : " + ", ".join(manquants))
    for nom in TEXTES_LIBRES:
        # A name starting as a formula would come back live in every CSV a relais exports from these records;
        # the PMI's own export never holds one, so the line is refused rather than silently altered.
        if row.get(nom, "").startswith(PREFIXES_DE_FORMULE):
            # Cells are stripped when read (see _lire), so the first character is a visible one.
            raise _RejetLigne(
                f"{nom} « {row[nom][:60]} » commence par « {row[nom][0]} » : "
                "une formule de tableur n'est pas acceptée, corrigez la cellule"
            )
    commune = communes.get(row["code_insee"])
    if commune is None:
        raise _RejetLigne(f"commune « {row['code_insee']} » inconnue (importez d'abord les communes)")
    email = row.get("email", "").lower()
    if email:
        try:
            validate_email(email)
        except Exception:  # noqa: BLE001 - Django raises ValidationError; message is ours
            raise _RejetLigne(f"e-mail « {email} » invalide") from None
    # A spreadsheet keeps the digits as typed: full-width or Arabic-Indic ones are stored ASCII, as the forms do.
    try:
        numero = chiffres_ascii(row["numero_agrement"])
        telephone = "".join(chiffres_ascii(row.get("telephone", "")).split()).replace(".", "")
    except ValidationError as exc:
        raise _RejetLigne(exc.messages[0]) from None
    if telephone and not (telephone.isdigit() and len(telephone) == 10):
        raise _RejetLigne(f"téléphone « {row['telephone']} » invalide")
    ligne = _Ligne(
        numero=numero,
        nom=row["nom"][:150],
        prenom=row["prenom"][:150],
        email=email,
        telephone=telephone,
        adresse=row.get("adresse", "")[:250],
        commune=commune,
        date_delivrance=_date(row["date_delivrance"], "date_delivrance"),
        date_fin_validite=_date(row["date_fin_validite"], "date_fin_validite"),
        capacite_totale=_entier(row["capacite_totale"], "capacite_totale", MAX_ENFANTS_SIMULTANES),
        capacite_moins_3_ans=_entier(row["capacite_moins_3_ans"], "capacite_moins_3_ans", MAX_MOINS_DE_3_ANS),
        capacite_periscolaire=_entier(row.get("capacite_periscolaire") or "0", "capacite_periscolaire", 6),
    )
    if len(ligne.numero) > 30:
        raise _RejetLigne("numéro d'agrément trop long (30 caractères au plus)")
    if ligne.capacite_totale == 0:
        raise _RejetLigne("capacite_totale doit être d'au moins 1")
    if ligne.capacite_moins_3_ans > ligne.capacite_totale or ligne.capacite_periscolaire > ligne.capacite_totale:
        raise _RejetLigne("capacités incohérentes : un détail dépasse le total")
    if ligne.date_fin_validite <= ligne.date_delivrance:
        raise _RejetLigne("date_fin_validite doit suivre date_delivrance")
    return ligne


EN_TROP = "\x00en trop"  # no header has this name: the form refuses control characters


def _lire(contenu: str, rapport: RapportImport) -> list[_Ligne]:
    entete_brute = contenu.split("\n", 1)[0]
    # Spreadsheets saved in French use ";".
    separateur = ";" if entete_brute.count(";") > entete_brute.count(",") else ","
    # Cells beyond the header's columns are gathered under EN_TROP (a list), and the line is rejected.
    reader = csv.DictReader(io.StringIO(contenu), delimiter=separateur, restkey=EN_TROP)
    try:
        entete = [nom.strip() for nom in reader.fieldnames or []]
        if manquantes := sorted(OBLIGATOIRES - set(entete)):
            rapport.rejets.append(Rejet(1, "colonnes manquantes : " + ", ".join(manquantes)))
            return []
        rows = [{k.strip(): v if k == EN_TROP else (v or "").strip() for k, v in row.items()} for row in reader]
    except csv.Error:
        # The csv module's own message is English; its one limit a text file can reach is a cell's size.
        limite = f"{csv.field_size_limit():,}".replace(",", " ")
        rapport.rejets.append(
            Rejet(
                reader.line_num,
                f"ligne illisible : une cellule dépasse {limite} caractères ou le fichier est mal formé",
            )
        )
        return []
    communes = {c.code_insee: c for c in Commune.objects.filter(code_insee__in={r.get("code_insee") for r in rows})}
    lignes, vus = [], {}
    for numero_ligne, row in enumerate(rows, start=2):
        try:
            if row.get(EN_TROP):
                raise _RejetLigne(f"{len(row[EN_TROP])} cellule(s) de plus que les colonnes de l'en-tête")
            ligne = _lire_ligne(row, communes)
            if ligne.numero in vus:
                raise _RejetLigne(f"agrément {ligne.numero} déjà présent ligne {vus[ligne.numero]}")
            vus[ligne.numero] = numero_ligne
            lignes.append(ligne)
        except _RejetLigne as exc:
            rapport.rejets.append(Rejet(numero_ligne, str(exc)))
    return lignes


def importer(contenu: str, *, appliquer: bool) -> RapportImport:
    rapport = RapportImport()
    lignes = _lire(contenu, rapport)
    existants = {
        a.numero: a
        for a in Agrement.objects.select_related("assistant_maternel").filter(
            numero__in=[ligne.numero for ligne in lignes]
        )
    }
    rapport.mis_a_jour = sum(1 for ligne in lignes if ligne.numero in existants)
    rapport.crees = len(lignes) - rapport.mis_a_jour
    if appliquer and rapport.valide:
        _ecrire(lignes, existants)
        rapport.applique = True
    return rapport


@transaction.atomic
def _ecrire(lignes: list[_Ligne], existants: dict[str, Agrement]) -> None:
    champs_assmat = ["nom", "prenom", "email", "telephone", "adresse", "commune"]
    champs_agrement = [
        "date_delivrance", "date_fin_validite", "capacite_totale", "capacite_moins_3_ans", "capacite_periscolaire",
    ]  # fmt: skip
    nouveaux, a_jour_assmats, a_jour_agrements = [], [], []
    for ligne in lignes:
        if agrement := existants.get(ligne.numero):
            assmat = agrement.assistant_maternel
            for champ in champs_assmat:
                valeur = getattr(ligne, champ)
                if valeur or champ in {"nom", "prenom", "commune"}:
                    setattr(assmat, champ, valeur)
            for champ in champs_agrement:
                setattr(agrement, champ, getattr(ligne, champ))
            a_jour_assmats.append(assmat)
            a_jour_agrements.append(agrement)
        else:
            nouveaux.append(ligne)
    AssistantMaternel.objects.bulk_update(a_jour_assmats, champs_assmat, batch_size=1000)
    Agrement.objects.bulk_update(a_jour_agrements, champs_agrement, batch_size=1000)
    crees = AssistantMaternel.objects.bulk_create(
        [AssistantMaternel(**{champ: getattr(ligne, champ) for champ in champs_assmat}) for ligne in nouveaux],
        batch_size=1000,
    )
    Agrement.objects.bulk_create(
        [
            Agrement(assistant_maternel=assmat, numero=ligne.numero, **{c: getattr(ligne, c) for c in champs_agrement})
            for assmat, ligne in zip(crees, nouveaux, strict=True)
        ],
        batch_size=1000,
    )
    # A file the PMI creates starts without consent to display; the display history starts with it.
    maintenant = timezone.now()
    HistoriqueAffichage.objects.bulk_create(
        [
            HistoriqueAffichage(assistant_maternel=assmat, le=maintenant, affiche=False, confirmation=False)
            for assmat in crees
        ],
        batch_size=1000,
    )
