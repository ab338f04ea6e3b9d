"""Core demo data: the Hérault, three relais on real communes, staff and families' accounts."""

import random
from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Sum

from comptes.models import Role, User
from portail.demo import BENCH_DOMAIN, DEMO_DOMAIN, DEMO_PASSWORD
from relais import communes_source
from relais.models import Commune, Departement, Relais
from relais.services import ajouter_membre, definir_territoire, importer_communes, rattacher_agent_caf

DEPARTEMENT = "34"

PRENOMS = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Emma", "Nadia", "Sophie",
    "Lucas", "Hugo", "Thomas", "Karim", "Julien", "Nicolas", "Mehdi", "Antoine", "Paul", "Yanis",
]  # fmt: skip
NOMS = [
    "Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Garcia", "Roux", "Fournier", "Girard",
    "Bonnet", "Mercier", "Benali", "Lopez", "Fontaine", "Rousseau", "Vincent", "Muller", "Chevalier", "Nguyen",
]  # fmt: skip


@dataclass(frozen=True)
class RelaisDemo:
    nom: str
    siege: str
    adresse: str
    telephone: str
    communes: tuple[str, ...]
    ouverture: date | None


RELAIS_DEMO = [
    RelaisDemo(
        "RPE Montpellier Nord",
        "34172",
        "12 rue des Tilleuls",
        "0467000001",
        ("34172", "34057", "34077", "34169", "34217", "34120"),
        date(2025, 9, 1),
    ),
    RelaisDemo(
        "RPE du Lodévois et Larzac",
        "34142",
        "3 place de la République",
        "0467000002",
        ("34142", "34304", "34036", "34212", "34188", "34220"),
        None,
    ),  # fmt: skip
    RelaisDemo(
        "RPE Béziers Méditerranée",
        "34032",
        "8 avenue du Canal",
        "0467000003",
        ("34032", "34336", "34298", "34073", "34037", "34299", "34324"),
        date(2024, 3, 1),
    ),  # fmt: skip
]


def _utilisateur(email: str, role: Role, prenom: str, nom: str, password_hash: str) -> User:
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "role": role,
            "first_name": prenom,
            "last_name": nom,
            "password": password_hash,
            "is_staff": role == Role.ADMIN,
            "is_superuser": role == Role.ADMIN,
        },
    )
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _departement() -> Departement:
    departement, _ = Departement.objects.update_or_create(
        code=DEPARTEMENT, defaults={"nom": "Hérault", "nom_caf": "CAF de l'Hérault"}
    )
    if not Commune.objects.filter(departement=departement).exists():
        importer_communes(departement=departement, communes=communes_source.communes_du_departement(DEPARTEMENT))
    return departement


def _relais(departement: Departement, spec: RelaisDemo) -> Relais:
    relais, _ = Relais.objects.update_or_create(
        departement=departement,
        nom=spec.nom,
        defaults={
            "adresse": spec.adresse,
            "commune_siege": Commune.objects.get(code_insee=spec.siege),
            "telephone": spec.telephone,
            "email": f"contact.{spec.siege}@{DEMO_DOMAIN}",
            "date_ouverture_guichet": spec.ouverture,
        },
    )
    definir_territoire(relais=relais, communes=Commune.objects.filter(code_insee__in=spec.communes))
    return relais


@transaction.atomic
def seed_socle() -> list[Relais]:
    rng = random.Random(2026)  # noqa: S311 - demo names, not secrets
    password_hash = make_password(DEMO_PASSWORD)
    departement = _departement()
    relais = [_relais(departement, spec) for spec in RELAIS_DEMO]

    _utilisateur(f"admin@{DEMO_DOMAIN}", Role.ADMIN, "Alice", "Admin", password_hash)
    agent = _utilisateur(f"agent.caf@{DEMO_DOMAIN}", Role.AGENT_CAF, "Bruno", "Caf", password_hash)
    rattacher_agent_caf(departement=departement, user=agent)

    for index, r in enumerate(relais):
        for rang in range(2):
            email = (
                f"animateur@{DEMO_DOMAIN}"
                if (index, rang) == (0, 0)
                else f"animateur.{index + 1}.{rang + 1}@{DEMO_DOMAIN}"
            )
            user = _utilisateur(email, Role.ANIMATEUR, rng.choice(PRENOMS), rng.choice(NOMS), password_hash)
            ajouter_membre(relais=r, user=user, fonction="Responsable" if rang == 0 else "Animatrice")

    for role, nombre, prefixe in ((Role.PARENT, 12, "parent"), (Role.ASSMAT, 24, "assmat")):
        for numero in range(nombre):
            email = f"{prefixe}@{DEMO_DOMAIN}" if numero == 0 else f"{prefixe}.{numero + 1}@{DEMO_DOMAIN}"
            _utilisateur(email, role, rng.choice(PRENOMS), rng.choice(NOMS), password_hash)
    return relais


@transaction.atomic
def seed_socle_large(*, assmats: int = 10_000, relais_total: int = 10) -> list[Relais]:
    """Benchmark scale: relais_total relais covering the Hérault by EPCI, and `assmats` accounts."""
    relais = seed_socle()
    departement = relais[0].departement
    # Exclude only the demo relais' communes (not every served commune) so that a second run
    # picks the same EPCIs again and updates the same relais.
    libres = Commune.objects.filter(departement=departement, epci__isnull=False).exclude(territoire__relais__in=relais)
    epcis = (
        libres.values("epci_id", "epci__nom").annotate(population=Sum("population")).order_by("-population", "epci_id")
    )
    for groupe in epcis[: relais_total - len(relais)]:
        communes = libres.filter(epci_id=groupe["epci_id"]).order_by("-population", "code_insee")
        siege = communes.first()
        r, _ = Relais.objects.update_or_create(
            departement=departement,
            nom=f"RPE {groupe['epci__nom']}",
            defaults={"adresse": "1 place de la Mairie", "commune_siege": siege, "telephone": "0467000099"},
        )
        definir_territoire(relais=r, communes=list(communes))
        relais.append(r)

    password_hash = make_password(DEMO_PASSWORD)
    rng = random.Random(10_000)  # noqa: S311
    users = [
        User(
            email=f"assmat.{numero:05d}@{BENCH_DOMAIN}",
            role=Role.ASSMAT,
            first_name=rng.choice(PRENOMS),
            last_name=rng.choice(NOMS),
            password=password_hash,
        )
        for numero in range(assmats)
    ]
    User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
    bench_users = User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}", emailaddress__isnull=True)
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, verified=True, primary=True)
            for pk, email in bench_users.values_list("pk", "email")
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return relais
