"""Demo offer: childminders with agréments, children in care, availability, under-activity
reports and interviews, AVIP labels, and a few collective structures."""

import csv
import random
from datetime import date, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from assmats import services
from assmats.models import (
    Accueil,
    Agrement,
    AssistantMaternel,
    Disponibilite,
    Entretien,
    HistoriqueAffichage,
    LabelAvip,
    RelanceAffichage,
    SignalementSousActivite,
    Structure,
)
from comptes.models import Role, User
from portail.demo import BENCH_DOMAIN, DEMO_DOMAIN
from portail.demo.socle import DEPARTEMENT
from relais.models import Commune, Relais

# Approximate centroids of the demo communes (the npm package carries no coordinates), so that
# the "neighbouring communes" search has distances to work with.
COORDONNEES = Path(__file__).parent / "data" / "coordonnees_34.csv"

PRENOMS_ENFANTS = ["Lina", "Noé", "Jade", "Léo", "Rose", "Adam", "Alba", "Tom", "Mia", "Sacha", "Nina", "Gabin"]


def _coordonnees() -> None:
    with COORDONNEES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Commune.objects.filter(code_insee=row["code_insee"]).update(
                latitude=row["latitude"], longitude=row["longitude"]
            )


def _communes_des_relais() -> list[Commune]:
    # The demo relais' communes only: at the large scale the demo childminders stay with the demo animatrices,
    # so that their sessions, conventions and alternative care exist there too. The Hérault's: the Maine-et-Loire's
    # relais (portail/demo/insertion.py), seeded after, has its crèche and no childminder.
    return list(
        Commune.objects.filter(
            territoire__relais__email__endswith=f"@{DEMO_DOMAIN}", departement__code=DEPARTEMENT
        ).order_by("code_insee")
    )


def _compte_principal(assmat: AssistantMaternel) -> bool:
    """The account printed by the launcher shows a complete, displayed file."""
    return assmat.email == f"assmat@{DEMO_DOMAIN}"


def _profil(assmat: AssistantMaternel, numero: int, aujourd_hui: date) -> None:
    """Agrément, children, availability and its display history for one demo childminder; deterministic
    from `numero`."""
    # All draws first, from a generator of her own: reruns see the same values whatever exists.
    rng = random.Random(numero)  # noqa: S311 - demo data
    capacite = rng.choice([3, 4, 4, 4])
    duree_validite = 365 * rng.randint(1, 4)
    enfants = [(rng.randint(200, 2200), rng.randint(30, 600)) for _ in range(rng.randint(0, capacite - 1))]
    decalage_dispo, anciennete_confirmation = rng.choice([0, 0, 14, 45]), rng.randint(0, 60)
    if numero % 12 == 5:
        fin = aujourd_hui - timedelta(days=20)  # expired: hidden from search, reminded
    elif numero % 12 == 7:
        fin = aujourd_hui + timedelta(days=45)  # expiring within 3 months
    else:
        fin = aujourd_hui + timedelta(days=duree_validite)
    Agrement.objects.update_or_create(
        assistant_maternel=assmat,
        defaults={
            "numero": f"AGR-34-{numero:05d}",
            "date_delivrance": fin - timedelta(days=5 * 365),
            "date_fin_validite": fin,
            "capacite_totale": capacite,
            "capacite_moins_3_ans": min(capacite, 3),
            "samedi": numero % 5 == 0,
            "tot": numero % 3 == 0,
            "tard": numero % 4 == 0,
        },
    )
    if not assmat.accueils.exists():
        for rang, (age_jours, depuis_jours) in enumerate(enfants):
            Accueil.objects.create(
                assistant_maternel=assmat,
                prenom_enfant=PRENOMS_ENFANTS[(numero + rang) % len(PRENOMS_ENFANTS)],
                date_naissance=aujourd_hui - timedelta(days=age_jours),
                jours=[0, 1, 3, 4] if rang % 2 else [0, 1, 2, 3, 4],
                heure_debut=time(8),
                heure_fin=time(17, 30),
                date_debut=aujourd_hui - timedelta(days=depuis_jours),
            )
    if numero % 3 != 2 or _compte_principal(assmat):
        Disponibilite.objects.update_or_create(
            assistant_maternel=assmat,
            defaults={
                "a_partir_du": aujourd_hui + timedelta(days=decalage_dispo),
                "places_moins_3_ans": 1,
                "places_plus_3_ans": 1,
                "jours": [0, 1, 2, 3, 4],
                "heure_debut": time(7, 30) if numero % 3 == 0 else time(8),
                "heure_fin": time(19, 30) if numero % 4 == 0 else time(18),
                "tot": numero % 3 == 0,
                "tard": numero % 4 == 0,
                "samedi": numero % 5 == 0,
                # One in five was confirmed long ago: no longer displayed, reminder due.
                "confirmee_le": timezone.now()
                - timedelta(
                    days=120 if numero % 5 == 4 and not _compte_principal(assmat) else anciennete_confirmation
                ),
            },
        )
    _historique_affichage(assmat)


def _historique_affichage(assmat: AssistantMaternel) -> None:
    """Her display history ends on her current state, as the services would have written it: a confirmation
    event at her declaration's confirmation date (a rerun dates it later: one more confirmation), then her
    consent when no event carries it yet. A first run writes one event per childminder."""
    confirmee_le = (
        Disponibilite.objects.filter(assistant_maternel=assmat).values_list("confirmee_le", flat=True).first()
    )
    evenements = HistoriqueAffichage.objects.filter(assistant_maternel=assmat)
    if confirmee_le is not None and not evenements.filter(confirmation=True, le=confirmee_le).exists():
        HistoriqueAffichage.objects.create(
            assistant_maternel=assmat, le=confirmee_le, affiche=assmat.afficher_disponibilites, confirmation=True
        )
    if evenements.order_by("-le", "-pk").values_list("affiche", flat=True).first() != assmat.afficher_disponibilites:
        HistoriqueAffichage.objects.create(
            assistant_maternel=assmat, le=timezone.now(), affiche=assmat.afficher_disponibilites, confirmation=False
        )


@transaction.atomic
def seed_offre() -> int:
    aujourd_hui = timezone.localdate()
    _coordonnees()
    communes = _communes_des_relais()
    users = User.objects.filter(role=Role.ASSMAT, email__endswith=f"@{DEMO_DOMAIN}").order_by("email")
    for numero, user in enumerate(users):
        assmat, _ = AssistantMaternel.objects.update_or_create(
            user=user,
            defaults={
                "prenom": user.first_name,
                "nom": user.last_name,
                "email": user.email,
                "telephone": f"06{numero:08d}",
                "adresse": f"{numero + 1} rue des Lilas",
                "commune": communes[0] if user.email.startswith("assmat@") else communes[numero % len(communes)],
                "afficher_disponibilites": numero % 4 != 3 or user.email == f"assmat@{DEMO_DOMAIN}",
                "afficher_telephone": numero % 2 == 0 and numero % 4 != 3,
                "membre_mam": numero % 9 == 4,
                "nom_mam": "MAM Les Petits Pas" if numero % 9 == 4 else "",
                "langues": "français, anglais" if numero % 6 == 0 else "français",
                "espace_exterieur": numero % 2 == 1,
            },
        )
        _profil(assmat, numero, aujourd_hui)
    _sous_activite(aujourd_hui)
    _structures(communes)
    return users.count()


def _sous_activite(aujourd_hui: date) -> None:
    assmats = list(AssistantMaternel.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("email")[:8])
    animatrice = User.objects.filter(role=Role.ANIMATEUR, email__endswith=f"@{DEMO_DOMAIN}").order_by("email").first()
    agent = User.objects.filter(role=Role.AGENT_CAF).order_by("email").first()
    # The reports are in the demo animatrice's territory, so that her under-activity page has work in it.
    du_territoire = AssistantMaternel.objects.filter(
        commune__territoire__relais__membres__user=animatrice, agrement__isnull=False
    ).order_by("email")
    for rang, assmat in enumerate(du_territoire[1:6]):
        # Keyed on the childminder alone: a seed run on another day must not file a second pending report.
        signalement, cree = SignalementSousActivite.objects.get_or_create(
            assistant_maternel=assmat,
            defaults={
                "depuis": aujourd_hui - timedelta(days=40 + rang * 10),
                "places_inoccupees": 1,
                "commentaire": "Un contrat s'est terminé.",
            },
        )
        if cree and rang % 2 == 0 and animatrice:
            services.proposer_entretien(
                signalement_id=signalement.pk,
                par=animatrice,
                type=Entretien.Type.INDIVIDUEL if rang else Entretien.Type.COLLECTIF,
                date_entretien=timezone.now() + timedelta(days=7 + rang),
            )
    if animatrice:
        _relance_passee(animatrice)
    if agent:
        for assmat in assmats[:2]:
            if not LabelAvip.objects.filter(assistant_maternel=assmat, date_fin__isnull=True).exists():
                services.accorder_label_avip(assmat_id=assmat.pk, par=agent, date_debut=date(2026, 1, 15))


def _relance_passee(animatrice: User) -> None:
    """A reminder round sent last winter, so that the relais' page of past rounds is not empty, while a new
    round stays possible today (it is older than the staleness period)."""
    relais = Relais.objects.filter(membres__user=animatrice).order_by("pk").first()
    if relais is None or RelanceAffichage.objects.filter(relais=relais).exists():
        return
    relance = RelanceAffichage.objects.create(relais=relais, lancee_par=animatrice, destinataires=12, envoyes=12)
    il_y_a_huit_mois = timezone.now() - timedelta(days=240)
    # created_at is auto_now_add: the past date is set after the insert.
    RelanceAffichage.objects.filter(pk=relance.pk).update(
        created_at=il_y_a_huit_mois, terminee_le=il_y_a_huit_mois + timedelta(minutes=3)
    )


def _structures(communes: list[Commune]) -> None:
    par_code = {c.code_insee: c for c in communes}
    for nom, type_, code, moins_3, plus_3 in [
        ("Crèche Les Lucioles", Structure.Type.CRECHE, "34172", 40, 20),
        ("Micro-crèche Pomme d'Api", Structure.Type.MICRO_CRECHE, "34057", 10, 2),
        ("Halte-garderie Les Galopins", Structure.Type.HALTE_GARDERIE, "34142", 12, 8),
        ("MAM Les Petits Pas", Structure.Type.MAM, "34032", 12, 4),
        ("Crèche familiale du Biterrois", Structure.Type.CRECHE, "34032", 30, 10),
    ]:
        if code in par_code:
            Structure.objects.update_or_create(
                nom=nom,
                defaults={
                    "type": type_,
                    "adresse": "2 place de l'Enfance",
                    "commune": par_code[code],
                    "gestionnaire": "CCAS" if type_ == Structure.Type.CRECHE else "Association",
                    "horaires": "lundi au vendredi, 7 h 30 – 18 h 30",
                    "places_moins_3_ans": moins_3,
                    "places_plus_3_ans": plus_3,
                    "places_insertion": 0 if type_ == Structure.Type.MAM else -(-(moins_3 + plus_3) // 20),
                    "places_avip": 2 if type_ == Structure.Type.CRECHE else 0,
                },
            )


@transaction.atomic
def seed_offre_large() -> int:
    """Benchmark scale: a file, an agrément, a declaration and its display history (one event, as the
    migration's backfill) for each of the 10 000 bench accounts."""
    seed_offre()
    rng = random.Random(10_000)  # noqa: S311
    aujourd_hui = timezone.localdate()
    communes = list(Commune.objects.filter(territoire__relais__in=Relais.objects.all()).order_by("code_insee"))
    sans_fiche = list(
        User.objects.filter(role=Role.ASSMAT, email__endswith=f"@{BENCH_DOMAIN}", assistant_maternel__isnull=True)
        .order_by("email")
        .values_list("pk", "email", "first_name", "last_name")
    )
    fiches = AssistantMaternel.objects.bulk_create(
        [
            AssistantMaternel(
                user_id=pk,
                email=email,
                prenom=prenom,
                nom=nom,
                telephone="0600000000",
                commune=communes[int(email.split(".")[1].split("@")[0]) % len(communes)],
                afficher_disponibilites=rng.random() < 0.6,
            )
            for pk, email, prenom, nom in sans_fiche
        ],
        batch_size=2000,
    )
    agrements, accueils, disponibilites, historique = [], [], [], []
    maintenant = timezone.now()
    for fiche in fiches:
        numero = int(fiche.email.split(".")[1].split("@")[0])
        capacite = rng.choice([3, 4, 4])
        agrements.append(
            Agrement(
                assistant_maternel=fiche,
                numero=f"AGR-B-{numero:05d}",
                date_delivrance=aujourd_hui - timedelta(days=rng.randint(100, 1500)),
                date_fin_validite=aujourd_hui + timedelta(days=rng.randint(-60, 1800)),
                capacite_totale=capacite,
                capacite_moins_3_ans=3,
                samedi=rng.random() < 0.1,
            )
        )
        for rang in range(rng.randint(0, capacite)):
            accueils.append(
                Accueil(
                    assistant_maternel=fiche,
                    prenom_enfant=PRENOMS_ENFANTS[rang],
                    date_naissance=aujourd_hui - timedelta(days=rng.randint(200, 2500)),
                    jours=[0, 1, 2, 3, 4],
                    date_debut=aujourd_hui - timedelta(days=rng.randint(10, 900)),
                    date_fin=aujourd_hui + timedelta(days=rng.randint(30, 400)) if rang % 3 == 2 else None,
                )
            )
        disponibilite = None
        if rng.random() < 0.7:
            disponibilite = Disponibilite(
                assistant_maternel=fiche,
                a_partir_du=aujourd_hui + timedelta(days=rng.choice([0, 0, 30])),
                places_moins_3_ans=1,
                places_plus_3_ans=rng.randint(1, 2),
                jours=[0, 1, 2, 3, 4],
                samedi=rng.random() < 0.1,
                confirmee_le=timezone.now() - timedelta(days=rng.randint(0, 150)),
            )
            disponibilites.append(disponibilite)
        # No draw of its own: the rest of the demo stays the same.
        historique.append(
            HistoriqueAffichage(
                assistant_maternel=fiche,
                le=maintenant if disponibilite is None else disponibilite.confirmee_le,
                affiche=fiche.afficher_disponibilites,
                confirmation=disponibilite is not None,
            )
        )
    Agrement.objects.bulk_create(agrements, batch_size=2000)
    Accueil.objects.bulk_create(accueils, batch_size=2000)
    Disponibilite.objects.bulk_create(disponibilites, batch_size=2000)
    HistoriqueAffichage.objects.bulk_create(historique, batch_size=2000)
    return len(fiches)
