"""Demo continuing training: two training bodies, sessions of every relais over the last two years and the
next months, wishes, enrolments in every state (some thanks to the relais, some not), a mise en relation,
and alternative-childcare requests with and without a proposal.

Deterministic and idempotent: every row has a natural key (a session is its relais and title, an enrolment
its session and childminder...), and rerunning updates rather than adds."""

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from assmats.models import AssistantMaternel, Structure
from comptes.models import Role, User
from formation import selectors
from formation.models import (
    DemandeAccueilAlternatif,
    EnfantConcerne,
    HistoriqueInscription,
    Inscription,
    JoursPreferes,
    MiseEnRelation,
    OrganismeFormation,
    PropositionAccueilAlternatif,
    SessionFormation,
    SouhaitFormation,
    ThemeFormation,
)
from portail.demo import DEMO_DOMAIN
from relais.models import Relais

ORGANISMES = [
    ("Institut Petite Enfance Formation (démo)", "73282932000074", "Claire Lenoir"),
    ("Greta des Garrigues (démo)", "44306184100047", "Malik Haddad"),
]
# Months from now of each demo session, its theme's rank and its body; past ones have enrolments with outcomes.
SESSIONS = [(-22, 0, 0), (-17, 3, 1), (-12, 1, 0), (-8, 2, 1), (-4, 0, 1), (-1, 3, 0), (1, 0, 0), (2, 2, 1), (4, 1, 0)]


def _mardi(mois: int, aujourd_hui: date) -> date:
    """The second Tuesday of the month `mois` months from now: deterministic within a month."""
    premier = (aujourd_hui + relativedelta(months=mois)).replace(day=1)
    return premier + timedelta(days=(1 - premier.weekday()) % 7 + 7)


def _moment(jour: date, heure: time) -> datetime:
    return timezone.make_aware(datetime.combine(jour, heure))


@transaction.atomic
def seed_formation() -> int:
    aujourd_hui = timezone.localdate()
    themes = list(ThemeFormation.objects.order_by("ordre", "libelle"))
    if not themes:
        return 0
    organismes = [
        OrganismeFormation.objects.update_or_create(
            siret=siret, defaults={"nom": nom, "contact": contact, "email": f"formation.{siret[:4]}@{DEMO_DOMAIN}"}
        )[0]
        for nom, siret, contact in ORGANISMES
    ]
    animatrice = User.objects.filter(role=Role.ANIMATEUR, email__endswith=f"@{DEMO_DOMAIN}").order_by("email").first()
    parent = User.objects.filter(role=Role.PARENT, email__endswith=f"@{DEMO_DOMAIN}").order_by("email").first()
    nb_sessions = 0
    for relais in Relais.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("pk"):
        assmats = list(
            AssistantMaternel.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", commune__territoire__relais=relais)
            .select_related("commune")
            .order_by("email")
        )
        if not assmats or animatrice is None:
            continue
        souhaits = _souhaits(assmats, themes, aujourd_hui)
        _mise_en_relation(relais, organismes[0], souhaits, themes[0], animatrice, aujourd_hui)
        for rang, (mois, theme_rang, organisme_rang) in enumerate(SESSIONS):
            debut = _mardi(mois, aujourd_hui)
            session, _ = SessionFormation.objects.update_or_create(
                relais=relais,
                intitule=f"{themes[theme_rang].libelle} – session {rang + 1}",
                defaults={
                    "organisme": organismes[organisme_rang],
                    "theme": themes[theme_rang],
                    "date_debut": debut,
                    "date_fin": debut + timedelta(days=rang % 2),
                    "heure_debut": time(9),
                    "heure_fin": time(16, 30),
                    "lieu": "Salle de formation du relais",
                    "commune": relais.commune_siege,
                    "capacite": 8 if rang % 3 else 4,
                },
            )
            session.souhaits.set([s for s in souhaits if s.theme_id == session.theme_id])
            _inscriptions(session, assmats, rang, animatrice, aujourd_hui)
            nb_sessions += 1
        _accueil_alternatif(relais, animatrice, parent)
    return nb_sessions


def _souhaits(assmats, themes, aujourd_hui) -> list[SouhaitFormation]:
    """Two wishes each for the first childminders, recorded two years ago (before every demo session)."""
    souhaits = []
    for numero, assmat in enumerate(assmats[:6]):
        for theme in (themes[numero % 4], themes[(numero + 3) % len(themes)]):
            souhait, _ = SouhaitFormation.objects.get_or_create(
                assistant_maternel=assmat,
                theme=theme,
                retire_le__isnull=True,
                defaults={
                    "jours_preferes": [JoursPreferes.SEMAINE, JoursPreferes.SAMEDI, JoursPreferes.INDIFFERENT][
                        numero % 3
                    ],
                    "commune": assmat.commune,
                    "created_at": _moment(aujourd_hui - timedelta(days=730), time(10)),
                },
            )
            souhaits.append(souhait)
    return souhaits


def _mise_en_relation(relais, organisme, souhaits, theme, animatrice, aujourd_hui) -> None:
    envoyes = [s for s in souhaits if s.theme_id == theme.pk]
    if not envoyes:
        return
    mise, _ = MiseEnRelation.objects.get_or_create(
        relais=relais,
        organisme=organisme,
        defaults={"date": aujourd_hui - timedelta(days=700), "enregistree_par": animatrice},
    )
    mise.souhaits.set(envoyes)


def _inscriptions(session, assmats, rang, animatrice, aujourd_hui) -> None:
    """Past sessions: departed and completed, departed and cancelled, cancelled before leaving, and a childminder
    without any wish (a departure not thanks to the relais). Upcoming sessions: enrolled."""
    passee = session.date_debut <= aujourd_hui
    candidates = [assmats[(rang + k) % len(assmats)] for k in range(min(4, len(assmats)))]
    candidates.append(assmats[-1])  # the last ones have no wish
    issues = ["suivie", "suivie", "annulee_avant", "partie_annulee", "suivie"] if passee else ["inscrite"] * 3
    if rang == len([s for s in SESSIONS if s[0] < 0]) - 1:
        issues[0] = "partie"  # the latest past session: one childminder's departure recorded, not yet completed
    for assmat, issue in zip(dict.fromkeys(candidates), issues, strict=False):
        inscription, cree = Inscription.objects.get_or_create(
            session=session,
            assistant_maternel=assmat,
            defaults={
                "inscrite_le": _moment(session.date_debut - timedelta(days=30), time(11)),
                "inscrite_par": animatrice,
            },
        )
        if not cree:
            continue
        HistoriqueInscription.objects.create(
            inscription=inscription, de="", vers="inscrite", auteur=animatrice, at=inscription.inscrite_le
        )
        if issue == "inscrite":
            continue
        if issue == "annulee_avant":
            _passer(inscription, "annulee", animatrice, _moment(session.date_debut - timedelta(days=5), time(9)))
            continue
        depart = _moment(session.date_debut, time(9))
        inscription.motifs_grace = selectors.motifs_grace_au_relais(inscription, avant=depart)
        inscription.grace_au_relais = bool(inscription.motifs_grace)
        inscription.partie_le = depart
        _passer(inscription, "partie", animatrice, depart)
        if issue == "partie":
            continue
        fin = _moment(session.date_fin, time(16, 30))
        _passer(inscription, "annulee" if issue == "partie_annulee" else "suivie", animatrice, fin)


def _passer(inscription, vers, animatrice, quand) -> None:
    ancien = inscription.statut
    inscription.statut = vers
    if vers in ("suivie", "annulee"):
        inscription.terminee_le = quand
    inscription.save()
    HistoriqueInscription.objects.create(inscription=inscription, de=ancien, vers=vers, auteur=animatrice, at=quand)


def _accueil_alternatif(relais, animatrice, parent) -> None:
    """For the next session's first enrolment with children in care: one online request with a proposal, one
    phone request still waiting."""
    inscription = (
        Inscription.objects.filter(
            session__relais=relais, statut="inscrite", assistant_maternel__accueils__isnull=False
        )
        .select_related("session", "assistant_maternel")
        .order_by("session__date_debut", "assistant_maternel__email")
        .first()
    )
    if inscription is None or parent is None:
        return
    accueils = list(selectors.enfants_presents_pendant(inscription))
    if not accueils:
        return
    session = inscription.session
    enfant, _ = EnfantConcerne.objects.get_or_create(
        inscription=inscription,
        accueil=accueils[0],
        defaults={"email_parent": parent.email, "invitation_envoyee_le": timezone.now()},
    )
    demande, cree = DemandeAccueilAlternatif.objects.get_or_create(
        enfant_concerne=enfant,
        defaults={
            "relais": relais,
            "inscription": inscription,
            "prenom_enfant": accueils[0].prenom_enfant,
            "parent": parent,
            "nom_parent": parent.get_full_name() or parent.email,
            "email_parent": parent.email,
            "date_debut": session.date_debut,
            "date_fin": session.date_fin,
            "canal": DemandeAccueilAlternatif.Canal.EN_LIGNE,
            "statut": DemandeAccueilAlternatif.Statut.PROPOSEE,
        },
    )
    structure = Structure.objects.filter(commune__territoire__relais=relais).order_by("nom").first()
    if cree:
        PropositionAccueilAlternatif.objects.create(
            demande=demande,
            type="structure" if structure else "autre",
            structure=structure,
            description=""
            if structure
            else "Accueil chez une assistante maternelle voisine, à confirmer par téléphone.",
            propose_par=animatrice,
        )
    DemandeAccueilAlternatif.objects.get_or_create(
        relais=relais,
        inscription=inscription,
        canal=DemandeAccueilAlternatif.Canal.TELEPHONE,
        defaults={
            "prenom_enfant": "Inès",
            "nom_parent": "Marc Dupuis",
            "telephone_parent": "0611223344",
            "date_debut": session.date_debut,
            "date_fin": session.date_debut,
            "enregistree_par": animatrice,
        },
    )
