"""Insertion demo data in the Maine-et-Loire: a relais of Angers whose crèche holds AVIP places, two families in
job search or training with a place (one ending within the reminder's delay, one renewed) and two PEPIT parcours
(one open with its contacts and a planned one, one closed with its outcome).

Written through the services (requests filed and taken on, places given and renewed, parcours opened, contacts
noted, closed), dated from today; a family already holding its request is left as it is, so that a second run
changes nothing."""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assmats.models import Structure
from comptes.models import Role, User
from demandes.permissions import demandes_for_user
from demandes.services import DonneesDemande, deposer, prendre_en_charge
from insertion import services as insertion
from portail.demo import DEMO_DOMAIN, DEMO_PASSWORD
from portail.demo.socle import RelaisDemo, _relais, _utilisateur
from relais import communes_source
from relais.models import Commune, Departement, Relais
from relais.services import ajouter_membre, importer_communes

DEPARTEMENT = "49"
RELAIS_ANGERS = RelaisDemo(
    "RPE Angers Loire",
    "49007",
    "4 boulevard de la Résistance et de la Déportation",
    "0241000001",
    ("49007", "49015", "49020", "49035", "49246", "49267", "49353"),
    date(2025, 1, 6),
)
ANIMATRICE = f"animateur.angers@{DEMO_DOMAIN}"
COLLEGUE = f"animateur.angers.2@{DEMO_DOMAIN}"
SEMAINE = [{"jour": jour, "debut": "08:30", "fin": "17:30"} for jour in range(5)]


@dataclass(frozen=True)
class FamilleDemo:
    email: str
    prenom: str
    nom: str
    enfant: str
    valeurs: dict
    # The child's birth, in days from today: negative when born, positive when expected.
    naissance_dans: int = -300


def _departement() -> Departement:
    departement, _ = Departement.objects.update_or_create(
        code=DEPARTEMENT, defaults={"nom": "Maine-et-Loire", "nom_caf": "CAF de Maine-et-Loire"}
    )
    if not Commune.objects.filter(departement=departement).exists():
        importer_communes(departement=departement, communes=communes_source.communes_du_departement(DEPARTEMENT))
    return departement


def _creche(relais: Relais) -> Structure:
    structure, _ = Structure.objects.update_or_create(
        nom="Multi-accueil Les Petits Mousses",
        commune=relais.commune_siege,
        defaults={
            "type": Structure.Type.CRECHE,
            "gestionnaire": "Ville d'Angers",
            "adresse": "12 rue Saint-Lazare",
            "telephone": "0241000010",
            "horaires": "Du lundi au vendredi, 7 h 30 – 18 h 30",
            "places_moins_3_ans": 40,
            "places_plus_3_ans": 8,
            "places_insertion": 3,
            "places_avip": 4,
        },
    )
    return structure


def _demande(famille: FamilleDemo, relais: Relais, animatrice: User, password_hash: str):
    """The family's request, filed and taken on; None when it exists already (an earlier run)."""
    parent = _utilisateur(famille.email, Role.PARENT, famille.prenom, famille.nom, password_hash)
    if demandes_for_user(parent).exists():
        return None
    aujourd_hui = timezone.localdate()
    naissance = aujourd_hui + timedelta(days=famille.naissance_dans)
    donnees = {
        "telephone": "0611223344",
        "code_postal": relais.commune_siege.codes_postaux[0],
        "commune_id": relais.commune_siege_id,
        "enfant_prenom": famille.enfant,
        "enfant_date": naissance,
        "date_debut_souhaitee": max(aujourd_hui + timedelta(days=30), naissance + timedelta(days=90)),
        "creneaux": list(SEMAINE),
        "modes": ["creche", "assmat"],
        "situation_parent1": "recherche_emploi",
    } | famille.valeurs
    demande = deposer(parent=parent, donnees=DonneesDemande(**donnees))
    return prendre_en_charge(demande_id=demande.pk, par=animatrice)


FAMILLES = [
    # AVIP: a place given 3 months ago less 10 days, so that its period ends within the reminder's delay.
    FamilleDemo(f"parent.angers.1@{DEMO_DOMAIN}", "Sonia", "Rivière", "Lina", {}),
    # AVIP: a place renewed once, running to 6 months after its start.
    FamilleDemo(f"parent.angers.2@{DEMO_DOMAIN}", "Mathieu", "Lemoine", "Jules", {"situation_parent1": "formation"}),
    # PEPIT P2, open: a single mother of a baby, followed for 40 days, her next contact planned.
    FamilleDemo(
        f"parent.angers.3@{DEMO_DOMAIN}",
        "Aïcha",
        "Benkirane",
        "Nour",
        {"parent_isole": True, "rsa": True},
        naissance_dans=-240,
    ),
    # PEPIT P1, closed: a couple expecting its first child on a low income, childcare found.
    FamilleDemo(
        f"parent.angers.4@{DEMO_DOMAIN}",
        "Élodie",
        "Marchand",
        "Bébé Marchand",
        {"enfant_a_naitre": True, "premier_enfant": True, "tranche_qf": "moins_700"},
        naissance_dans=60,
    ),
]


@transaction.atomic
def seed_insertion() -> Relais:
    password_hash = make_password(DEMO_PASSWORD)
    relais = _relais(_departement(), RELAIS_ANGERS)
    animatrice = _utilisateur(ANIMATRICE, Role.ANIMATEUR, "Gaëlle", "Poirier", password_hash)
    ajouter_membre(relais=relais, user=animatrice, fonction="Responsable")
    collegue = _utilisateur(COLLEGUE, Role.ANIMATEUR, "Thomas", "Guérin", password_hash)
    ajouter_membre(relais=relais, user=collegue, fonction="Animatrice")
    creche = _creche(relais)
    aujourd_hui = timezone.localdate()
    proche, renouvelee, ouvert, clos = (_demande(famille, relais, animatrice, password_hash) for famille in FAMILLES)

    if proche is not None:
        insertion.attribuer_place_avip(
            demande_id=proche.pk,
            structure_id=creche.pk,
            debut=aujourd_hui - relativedelta(months=3) + timedelta(days=10),
            par=animatrice,
        )
    if renouvelee is not None:
        insertion.attribuer_place_avip(
            demande_id=renouvelee.pk,
            structure_id=creche.pk,
            debut=aujourd_hui - relativedelta(months=3) + timedelta(days=4),
            par=animatrice,
        )
        insertion.renouveler_place_avip(demande_id=renouvelee.pk, par=animatrice)
    if ouvert is not None:
        debut = aujourd_hui - timedelta(days=40)
        insertion.ouvrir_parcours(demande_id=ouvert.pk, debut=debut, par=animatrice)
        for jours, type_, note in [
            (0, "entretien", "Premier entretien au relais : recherche d'emploi dans l'aide à domicile."),
            (14, "appel", "Point téléphonique : inscrite à France Travail, visite de crèche à prévoir."),
            (30, "visite", "Visite du multi-accueil avec Nour."),
            (50, "atelier", ""),
        ]:
            insertion.noter_contact(
                demande_id=ouvert.pk, par=animatrice, le=debut + timedelta(days=jours), type=type_, note=note
            )
    if clos is not None:
        debut = aujourd_hui - relativedelta(months=5)
        insertion.ouvrir_parcours(demande_id=clos.pk, debut=debut, par=animatrice)
        for jours, type_, note in [
            (0, "entretien", "Projet d'accueil avant la naissance, dossier CAF à jour."),
            (45, "atelier", "Atelier « Faire garder son enfant » au relais."),
            (120, "appel", "Place en crèche proposée par la commission."),
        ]:
            insertion.noter_contact(
                demande_id=clos.pk, par=animatrice, le=debut + timedelta(days=jours), type=type_, note=note
            )
        insertion.cloturer_parcours(
            demande_id=clos.pk,
            par=animatrice,
            le=aujourd_hui - timedelta(days=3),
            issue="mode_accueil",
            note="Place en multi-accueil à la naissance.",
        )
    return relais
