"""Demo requests (demandes d'accueil) in every state over the last two years, with their history.

Request number `numero` is drawn from its own `random.Random`, so a rerun sees the same values whatever
already exists; its `jeton_depot` (the deposit token that makes a submission idempotent) is derived from the
number, so a rerun recognises it and creates nothing. Families: the demo parents hold the first requests
(two children each), then bench accounts `parent.NNNNNN@bench.guichet-rpe.fr`, two requests per family.
References are taken from the year's counter (`CompteurReference`), as `services.deposer` does, so a family
submitting later gets the next free number.

Each request follows a path (nouvelle → prise en charge → rendez-vous proposé → réalisé → propositions →
solution | sans solution, or retirée, or clôturée after 60 days without an answer), every step dated after the
previous one; the steps later than now are dropped, so recent requests are still open.
"""

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

from comptes.compteurs import prendre_numeros, reference
from comptes.models import Role, User
from demandes.models import (
    CompteurReference,
    Demande,
    HistoriqueDemande,
    Mode,
    MotifUrgence,
    Proposition,
    RendezVous,
    Situation,
    Statut,
    TrancheQf,
    horaires_atypiques,
    normaliser_prenom,
)
from portail.demo import BENCH_DOMAIN, DEMO_DOMAIN, DEMO_PASSWORD
from portail.demo.socle import NOMS, PRENOMS
from relais.models import CommuneDuTerritoire, MembreRelais

DEMANDES_PETITE_ECHELLE = 2_000
DEMANDES_GRANDE_ECHELLE = 200_000
DEMANDES_PAR_FAMILLE = 2
PARENTS_DEMO = [f"parent@{DEMO_DOMAIN}", *(f"parent.{n}@{DEMO_DOMAIN}" for n in range(2, 13))]
JETONS = uuid.UUID("6f1d3c2e-9a4b-4e8f-b1c7-2d5e8a9f0c31")  # namespace of the demo deposit tokens
PERIODE = timedelta(days=730)
DELAI_SANS_REPONSE = timedelta(days=60)  # ParametresClassement.delai_sans_reponse_jours default
LOT = 10_000

PRENOMS_ENFANTS = [
    "Lina", "Noé", "Jade", "Léo", "Rose", "Adam", "Alba", "Tom", "Mia", "Sacha", "Nina", "Gabin",
    "Inaya", "Malo", "Lou", "Ayden", "Zoé", "Nino", "Iris", "Timéo",
]  # fmt: skip

PLANNINGS = [
    [{"jour": j, "debut": "08:30", "fin": "17:30"} for j in range(5)],
    [{"jour": j, "debut": "08:00", "fin": "18:00"} for j in (0, 1, 3, 4)],
    [{"jour": j, "debut": "06:30", "fin": "15:00"} for j in range(5)],
    [{"jour": j, "debut": "10:00", "fin": "19:30"} for j in range(5)],
    [
        *({"jour": j, "debut": "07:30", "fin": "16:30"} for j in range(4)),
        {"jour": 5, "debut": "08:00", "fin": "13:00"},
    ],
    [{"jour": j, "debut": "09:00", "fin": "16:30"} for j in (0, 1, 2)],
    [{"jour": j, "debut": "05:30", "fin": "13:30"} for j in (2, 3, 4, 5, 6)],
]
MODES = [
    [Mode.ASSMAT],
    [Mode.ASSMAT, Mode.CRECHE],
    [Mode.CRECHE, Mode.ASSMAT],
    [Mode.CRECHE, Mode.MAM, Mode.ASSMAT],
    [Mode.MAM, Mode.ASSMAT],
    [Mode.DOMICILE],
    [Mode.INDIFFERENT],
]
SITUATIONS = [Situation.EMPLOI] * 6 + [Situation.RECHERCHE_EMPLOI, Situation.FORMATION, Situation.INSERTION]
SITUATIONS += [Situation.AUTRE]
MOTIFS_RETRAIT = [
    "Nous avons trouvé une solution par nous-mêmes.",
    "Déménagement hors du territoire.",
    "Un grand-parent garde finalement l'enfant.",
    "Congé parental prolongé.",
]
MOTIFS_SANS_SOLUTION = [
    "Aucune place disponible sur la commune aux horaires demandés.",
    "Horaires atypiques : aucune assistante maternelle disponible.",
    "Pas de place en crèche avant la date souhaitée ; liste d'attente.",
]
DESCRIPTIONS = {
    Mode.ASSMAT: "Assistante maternelle de la commune, place à partir du mois prochain.",
    Mode.CRECHE: "Place en crèche collective, trois jours par semaine.",
    Mode.MAM: "Place en maison d'assistants maternels.",
    Mode.DOMICILE: "Garde à domicile partagée avec une autre famille.",
}


@dataclass
class Etape:
    statut: str
    le: datetime
    par_famille: bool = False
    note: str = ""


@dataclass
class Tirage:
    """Everything drawn for one request, before anything is written."""

    numero: int
    relais_id: int
    commune_id: int
    code_postal: str
    valeurs: dict
    etapes: list[Etape]
    animatrice_id: int | None
    rendez_vous: list[dict] = field(default_factory=list)
    propositions: list[dict] = field(default_factory=list)


def jeton(numero: int) -> uuid.UUID:
    return uuid.uuid5(JETONS, f"demande-{numero}")


def _email_parent(indice: int) -> str:
    return PARENTS_DEMO[indice] if indice < len(PARENTS_DEMO) else f"parent.{indice:06d}@{BENCH_DOMAIN}"


def _mode_propose(rng: random.Random, modes: list[str]) -> str:
    possibles = [m for m in modes if m != Mode.INDIFFERENT] or [Mode.ASSMAT]
    return rng.choice(possibles)


def _chemin(rng: random.Random, depot: datetime, urgence: bool, modes: list[str]) -> tuple[list[Etape], list, list]:
    """The request's whole path, each step dated after the previous one (steps in the future included)."""
    issue = rng.choices(["solution", "sans_solution", "retiree", "silence", "en_attente"], weights=[60, 18, 12, 7, 3])[
        0
    ]
    retrait_apres = rng.randint(1, 4)
    # An urgent need is taken within hours and most get their appointment the same day, as a relais that
    # publishes a 24 h promise would manage: about four in five within 24 h (the indicator then has both cases).
    # As many draws either way, so that the rest of the demo stays the same.
    delais = {
        "prise": timedelta(hours=rng.uniform(0.25, 6)) if urgence else timedelta(hours=rng.uniform(2, 144)),
        "rdv": timedelta(hours=rng.uniform(0.25, 26)) if urgence else timedelta(hours=rng.uniform(1, 168)),
        "rdv_dans": timedelta(days=rng.randint(2, 14) // 7 + 1 if urgence else rng.randint(2, 14)),
        "rdv_heure": rng.choice([9, 10, 11, 14, 15, 16]),
        "telephone": rng.random() < 0.3,
        "propositions": [timedelta(days=rng.uniform(1, 20)) for _ in range(rng.randint(1, 3))],
        "issue": timedelta(days=rng.uniform(2, 30)),
        "retrait": timedelta(days=rng.uniform(1, 40)),
        "sans_solution_tot": rng.random() < 0.5,
        "motif_retrait": rng.choice(MOTIFS_RETRAIT),
        "motif_sans_solution": rng.choice(MOTIFS_SANS_SOLUTION),
        "modes_proposes": [_mode_propose(rng, modes) for _ in range(3)],
    }
    etapes = [Etape(Statut.NOUVELLE, depot, par_famille=True, note="Demande déposée en ligne.")]
    rendez_vous: list[dict] = []
    propositions: list[dict] = []

    def suivante(statut, apres, **kwargs):
        etapes.append(Etape(statut, etapes[-1].le + apres, **kwargs))

    def retrait_ici(rang: int) -> bool:
        if issue == "retiree" and retrait_apres == rang:
            suivante(Statut.RETIREE, delais["retrait"], par_famille=True, note=delais["motif_retrait"])
            return True
        return False

    if retrait_ici(1):
        return etapes, rendez_vous, propositions
    suivante(Statut.PRISE_EN_CHARGE, delais["prise"])
    if issue == "en_attente" or retrait_ici(2):
        return etapes, rendez_vous, propositions
    propose_le = etapes[-1].le + delais["rdv"]
    debut = timezone.make_aware(
        datetime.combine(timezone.localtime(propose_le).date() + delais["rdv_dans"], time(delais["rdv_heure"]))
    )
    suivante(Statut.RDV_PROPOSE, delais["rdv"], note=f"Rendez-vous le {timezone.localtime(debut):%d/%m/%Y à %H:%M}.")
    rendez_vous.append({"debut": debut, "telephone": delais["telephone"], "created_at": propose_le})
    if issue == "silence" and retrait_apres <= 2:
        suivante(Statut.CLOTUREE, DELAI_SANS_REPONSE, note="Sans réponse de la famille depuis 60 jours.")
        return etapes, rendez_vous, propositions
    if retrait_ici(3):
        return etapes, rendez_vous, propositions
    etapes.append(Etape(Statut.RDV_REALISE, debut + timedelta(hours=1)))
    if issue == "sans_solution" and delais["sans_solution_tot"]:
        suivante(Statut.SANS_SOLUTION, delais["issue"], note=delais["motif_sans_solution"])
        return etapes, rendez_vous, propositions
    for rang, apres in enumerate(delais["propositions"]):
        mode = delais["modes_proposes"][rang]
        suivante(Statut.PROPOSITIONS_FAITES, apres, note=f"Proposition : {Mode(mode).label}.")
        propositions.append({"mode": mode, "created_at": etapes[-1].le})
    if issue == "silence":
        suivante(Statut.CLOTUREE, DELAI_SANS_REPONSE, note="Sans réponse de la famille depuis 60 jours.")
    elif issue == "sans_solution":
        suivante(Statut.SANS_SOLUTION, delais["issue"], note=delais["motif_sans_solution"])
    elif not retrait_ici(4):
        mode = propositions[-1]["mode"]
        suivante(Statut.SOLUTION_TROUVEE, delais["issue"], note=f"Solution : {Mode(mode).label}.")
    return etapes, rendez_vous, propositions


def _tirer(numero: int, *, maintenant: datetime, relais: list[tuple], animatrices: dict) -> Tirage:
    """Draws request `numero` from its own generator; `relais` is [(pk, [(commune pk, postal code)])]."""
    rng = random.Random(f"demande-{numero}")  # noqa: S311 - demo data
    relais_id, communes = rng.choice(relais)
    commune_id, code_postal = rng.choice(communes)
    depot = maintenant - timedelta(seconds=rng.randrange(int(PERIODE.total_seconds())))
    a_naitre = rng.random() < 0.2
    if a_naitre:
        enfant_date = timezone.localtime(depot).date() + timedelta(days=rng.randint(30, 250))
    else:
        enfant_date = timezone.localtime(depot).date() - timedelta(days=rng.randint(0, 5 * 365))
    debut_souhaite = timezone.localtime(depot).date() + timedelta(days=rng.randint(14, 300))
    if debut_souhaite < enfant_date:
        debut_souhaite = enfant_date + timedelta(days=rng.randint(60, 120))
    creneaux = rng.choice(PLANNINGS)
    modes = rng.choice(MODES)
    parent_isole = rng.random() < 0.15
    situation2 = "" if parent_isole else rng.choice([*SITUATIONS, ""])
    qf = rng.random()
    urgence = rng.random() < 0.05
    valeurs = {
        "telephone": f"06{rng.randrange(10**8):08d}",
        "enfant_prenom": PRENOMS_ENFANTS[(numero // DEMANDES_PAR_FAMILLE + 7 * (numero % DEMANDES_PAR_FAMILLE)) % 20],
        "enfant_a_naitre": a_naitre,
        "enfant_date": enfant_date,
        "premier_enfant": rng.random() < 0.4,
        "handicap": rng.random() < 0.03,
        "date_debut_souhaitee": debut_souhaite,
        "creneaux": creneaux,
        "modes": modes,
        "parent_isole": parent_isole,
        "situation_parent1": rng.choice(SITUATIONS),
        "situation_parent2": situation2,
        "rsa": rng.random() < 0.1,
        "quotient_familial": rng.randint(300, 2500) if qf < 0.5 else None,
        "tranche_qf": rng.choice(TrancheQf.values) if 0.5 <= qf < 0.8 else "",
        "numero_caf": f"{rng.randrange(10**7):07d}" if rng.random() < 0.5 else "",
        "urgence": urgence,
        "urgence_motif": rng.choice(MotifUrgence.values) if urgence else "",
        "commentaire": "Nous cherchons une solution proche de la crèche de l'aîné." if rng.random() < 0.1 else "",
        "date_depot": depot,
        "consentement_at": depot,
    }
    equipe = animatrices.get(relais_id) or animatrices[None]
    animatrice_id = rng.choice(equipe)
    etapes, rendez_vous, propositions = _chemin(rng, depot, urgence, modes)
    if numero in (0, 1):
        # The demo parent's two children: one new request, one with an appointment next week.
        depot = maintenant - timedelta(days=2 if numero == 0 else 20)
        valeurs |= {"date_depot": depot, "consentement_at": depot, "urgence": False, "urgence_motif": ""}
        valeurs["enfant_a_naitre"], valeurs["enfant_date"] = False, timezone.localdate(depot) - timedelta(days=300)
        valeurs["date_debut_souhaitee"] = timezone.localdate(maintenant) + timedelta(days=45)
        etapes, rendez_vous, propositions = [Etape(Statut.NOUVELLE, depot, True, "Demande déposée en ligne.")], [], []
        if numero == 1:
            debut = timezone.make_aware(datetime.combine(timezone.localdate(maintenant) + timedelta(days=5), time(10)))
            etapes += [
                Etape(Statut.PRISE_EN_CHARGE, depot + timedelta(days=1)),
                Etape(
                    Statut.RDV_PROPOSE,
                    depot + timedelta(days=2),
                    note=f"Rendez-vous le {timezone.localtime(debut):%d/%m/%Y à %H:%M}.",
                ),
            ]
            rendez_vous = [{"debut": debut, "telephone": False, "created_at": depot + timedelta(days=2)}]
    passees = [etape for etape in etapes if etape.le <= maintenant]
    limite = passees[-1].le
    return Tirage(
        numero=numero,
        relais_id=relais_id,
        commune_id=commune_id,
        code_postal=code_postal,
        valeurs=valeurs,
        etapes=passees,
        animatrice_id=animatrice_id,
        rendez_vous=[r for r in rendez_vous if r["created_at"] <= limite],
        propositions=[p for p in propositions if p["created_at"] <= limite],
    )


def _parents(nombre_familles: int) -> list[int]:
    """Primary keys of the families' accounts, by family index; bench accounts are bulk-created once."""
    password_hash = make_password(DEMO_PASSWORD)
    manquants = [
        User(
            email=_email_parent(indice),
            role=Role.PARENT,
            first_name=PRENOMS[indice % len(PRENOMS)],
            last_name=NOMS[(indice * 7) % len(NOMS)],
            password=password_hash,
        )
        for indice in range(len(PARENTS_DEMO), nombre_familles)
    ]
    User.objects.bulk_create(manquants, batch_size=5000, ignore_conflicts=True)
    emails = [_email_parent(indice) for indice in range(nombre_familles)]
    par_email = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    sans_adresse = User.objects.filter(pk__in=par_email.values(), emailaddress__isnull=True)
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, verified=True, primary=True)
            for pk, email in sans_adresse.values_list("pk", "email")
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return [par_email[email] for email in emails]


def _territoires() -> list[tuple[int, list[tuple[int, str]]]]:
    territoires: dict[int, list[tuple[int, str]]] = {}
    lignes = CommuneDuTerritoire.objects.order_by("relais_id", "commune__code_insee").values_list(
        "relais_id", "commune_id", "commune__codes_postaux"
    )
    for relais_id, commune_id, codes in lignes:
        if codes:
            territoires.setdefault(relais_id, []).append((commune_id, codes[0]))
    return sorted(territoires.items())


def _animatrices() -> dict[int | None, list[int]]:
    """Team members by relais; a relais without a team (bench relais) is handled by the demo admin."""
    equipes: dict[int | None, list[int]] = {}
    for relais_id, user_id in MembreRelais.objects.order_by("relais_id", "user__email").values_list(
        "relais_id", "user_id"
    ):
        equipes.setdefault(relais_id, []).append(user_id)
    equipes[None] = [User.objects.get(email=f"admin@{DEMO_DOMAIN}").pk]
    return equipes


def _references(tirages: list[Tirage]) -> dict[int, str]:
    """Takes each year's numbers from the counter, in deposit order, as `services.deposer` would have."""
    par_annee: dict[int, list[Tirage]] = {}
    for tirage in sorted(tirages, key=lambda t: (t.valeurs["date_depot"], t.numero)):
        par_annee.setdefault(timezone.localtime(tirage.valeurs["date_depot"]).year, []).append(tirage)
    references = {}
    for annee, lot in sorted(par_annee.items()):
        dernier = prendre_numeros(CompteurReference, annee, len(lot))
        for rang, tirage in enumerate(lot):
            references[tirage.numero] = reference("RPE", annee, dernier - len(lot) + rang + 1)
    return references


def _ecrire(tirages: list[Tirage], references: dict[int, str], parents: list[int]) -> None:
    demandes = []
    for tirage in tirages:
        derniere = tirage.etapes[-1]
        statut = derniere.statut
        prise = any(e.statut == Statut.PRISE_EN_CHARGE for e in tirage.etapes)
        valeurs = tirage.valeurs
        demandes.append(
            Demande(
                **valeurs,
                reference=references[tirage.numero],
                jeton_depot=jeton(tirage.numero),
                parent_id=parents[tirage.numero // DEMANDES_PAR_FAMILLE],
                relais_id=tirage.relais_id,
                commune_id=tirage.commune_id,
                code_postal=tirage.code_postal,
                enfant_prenom_normalise=normaliser_prenom(valeurs["enfant_prenom"]),
                horaires_atypiques=horaires_atypiques(valeurs["creneaux"]),
                statut=statut,
                statut_modifie_at=derniere.le,
                # Dated like the request, not like the seed (COPY skips the auto_now fields' pre_save).
                created_at=valeurs["date_depot"],
                updated_at=derniere.le,
                prise_par_id=tirage.animatrice_id if prise else None,
                motif_fin=derniere.note if statut in (Statut.RETIREE, Statut.SANS_SOLUTION) else "",
                solution_mode=tirage.propositions[-1]["mode"] if statut == Statut.SOLUTION_TROUVEE else "",
                solution_description=DESCRIPTIONS[tirage.propositions[-1]["mode"]]
                if statut == Statut.SOLUTION_TROUVEE
                else "",
            )
        )
    _copier(demandes)
    cles = dict(
        Demande.objects.filter(jeton_depot__in=[d.jeton_depot for d in demandes]).values_list("jeton_depot", "pk")
    )
    for demande in demandes:
        demande.pk = cles[demande.jeton_depot]
    historique, rendez_vous, propositions = [], [], []
    for tirage, demande in zip(tirages, demandes, strict=True):
        precedent = ""
        for etape in tirage.etapes:
            auteur = demande.parent_id if etape.par_famille else tirage.animatrice_id
            if etape.statut == Statut.CLOTUREE:
                auteur = None
            historique.append(
                HistoriqueDemande(
                    demande_id=demande.pk,
                    de=precedent,
                    vers=etape.statut,
                    auteur_id=auteur,
                    note=etape.note,
                    created_at=etape.le,
                )
            )
            precedent = etape.statut
        for rdv in tirage.rendez_vous:
            rendez_vous.append(
                RendezVous(
                    demande_id=demande.pk,
                    debut=rdv["debut"],
                    modalite=RendezVous.Modalite.TELEPHONE if rdv["telephone"] else RendezVous.Modalite.SUR_PLACE,
                    lieu="" if rdv["telephone"] else "Au relais, salle d'accueil",
                    auteur_id=tirage.animatrice_id,
                    created_at=rdv["created_at"],
                    **_issue_du_rendez_vous(tirage.etapes),
                )
            )
        for proposition in tirage.propositions:
            propositions.append(
                Proposition(
                    demande_id=demande.pk,
                    mode=proposition["mode"],
                    description=DESCRIPTIONS[proposition["mode"]],
                    auteur_id=tirage.animatrice_id,
                    created_at=proposition["created_at"],
                )
            )
    for lignes in (historique, rendez_vous, propositions):
        _copier(lignes)
    # A demo solution is the last proposal made (its mode and description): linked to it, as the service does.
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "UPDATE demandes_demande d SET proposition_retenue_id = (SELECT p.id FROM demandes_proposition p "
            "WHERE p.demande_id = d.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1) "
            "WHERE d.id = ANY(%s) AND d.statut = %s",
            [[d.pk for d in demandes], Statut.SOLUTION_TROUVEE],
        )


def _issue_du_rendez_vous(etapes: list[Etape]) -> dict:
    """A request's one appointment ends as its path says: held when it reached « rendez-vous réalisé », still
    planned while the request waits for it, else cancelled when the request closed (withdrawn, no answer)."""
    realise = next((e for e in etapes if e.statut == Statut.RDV_REALISE), None)
    if realise is not None:
        return {"statut": RendezVous.Statut.REALISE, "issue_le": realise.le}
    if etapes[-1].statut == Statut.RDV_PROPOSE:
        return {}
    return {
        "statut": RendezVous.Statut.ANNULE,
        "issue_le": etapes[-1].le,
        "motif_annulation": "Demande close avant le rendez-vous.",
    }


def _copier(objets: list) -> None:
    """Like bulk_create without returning keys, through PostgreSQL's COPY: bulk_create spends about 2 ms per
    request building and binding its huge INSERT statements, minutes at 200 000 requests plus their history.

    psycopg adapts these fields' Python values as they are (str, int, bool, date, aware datetime, UUID, list);
    only JSON needs Django's preparation.
    """
    if not objets:
        return
    base = connections[DEFAULT_DB_ALIAS]  # not the proxy: millions of attribute lookups otherwise
    meta = objets[0]._meta
    champs = [champ for champ in meta.concrete_fields if not champ.primary_key]
    a_preparer = [isinstance(champ, models.JSONField) for champ in champs]
    noms = [champ.attname for champ in champs]
    colonnes = ", ".join(base.ops.quote_name(champ.column) for champ in champs)
    with base.cursor() as cursor, cursor.cursor.copy(f"COPY {meta.db_table} ({colonnes}) FROM STDIN") as copie:
        for objet in objets:
            valeurs = [getattr(objet, nom) for nom in noms]
            for rang, preparer in enumerate(a_preparer):
                if preparer:
                    valeurs[rang] = champs[rang].get_db_prep_save(valeurs[rang], base)
            copie.write_row(valeurs)


@transaction.atomic
def seed_demandes(*, nombre: int = DEMANDES_PETITE_ECHELLE) -> int:
    """Requests 0 to `nombre` - 1 (those missing), on the communes of every relais with a territory.

    Returns the number of requests created (0 on a rerun).
    """
    maintenant = timezone.now()
    connus = set(Demande.objects.filter(jeton_depot__isnull=False).values_list("jeton_depot", flat=True))
    a_creer = [numero for numero in range(nombre) if jeton(numero) not in connus]
    if not a_creer:
        return 0
    relais = _territoires()
    if not relais:
        return 0
    animatrices = _animatrices()
    parents = _parents(math.ceil(nombre / DEMANDES_PAR_FAMILLE))
    tirages = [_tirer(numero, maintenant=maintenant, relais=relais, animatrices=animatrices) for numero in a_creer]
    references = _references(tirages)
    for debut in range(0, len(tirages), LOT):
        _ecrire(tirages[debut : debut + LOT], references, parents)
    return len(tirages)


def seed_demandes_large(*, nombre: int = DEMANDES_GRANDE_ECHELLE) -> int:
    """Benchmark scale: the same requests, up to `nombre`, spread over every relais of the large seed."""
    return seed_demandes(nombre=nombre)
