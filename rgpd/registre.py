"""The register of processing activities (GDPR art. 30), declared here and rendered by `rgpd:registre`.

Written as configuration so that it stays true: the data categories list the models' own `verbose_name`s
(read through `_meta` when the page is shown, so a field added to a model appears here), and the
retention delays and security figures are read from the settings at the same moment.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings

from rgpd.export import libelle_du_champ

# Keys, de-duplication helpers and bookkeeping that carry no personal data of their own.
CHAMPS_TECHNIQUES = frozenset(
    {"id", "jeton_depot", "jeton", "enfant_prenom_normalise", "rappel_envoye_le", "rappel_expiration_envoye_le"}
)
# Never listed as "data": credentials are stored hashed and are not processed for any purpose of their own.
CHAMPS_SECRETS = frozenset({"password", "data"})


@dataclass(frozen=True)
class Categorie:
    """A category of data: a name and the models whose fields it covers ("app_label.Modele")."""

    libelle: str
    modeles: tuple[str, ...]
    exclure: frozenset[str] = frozenset()

    def champs(self) -> list[str]:
        """The fields' verbose names, in model order, without duplicates."""
        noms: list[str] = []
        for label in self.modeles:
            for champ in apps.get_model(label)._meta.concrete_fields:
                if champ.name in CHAMPS_TECHNIQUES | CHAMPS_SECRETS | self.exclure or champ.primary_key:
                    continue
                nom = libelle_du_champ(champ)
                if nom not in noms:
                    noms.append(nom)
        return noms


@dataclass(frozen=True)
class Traitement:
    cle: str
    nom: str
    finalites: str
    base_legale: str
    personnes: str
    categories: tuple[Categorie, ...]
    destinataires: str
    conservation: Callable[[], str]
    # Measures of this activity on top of `mesures_communes()`; a callable, for those quoting a setting.
    securite: Callable[[], tuple[str, ...]] = tuple
    transferts: str = "Aucun transfert hors de l'Union européenne."

    @property
    def duree_de_conservation(self) -> str:
        return self.conservation()


def _conservation(cle: str) -> int:
    return settings.RGPD_CONSERVATION[cle]


def _mois(n: int) -> str:
    return f"{n} mois"


def _ans(n: int) -> str:
    return f"{n} an{'s' if n > 1 else ''}"


def _conservation_demandes() -> str:
    return (
        f"{_mois(_conservation('demande_close_mois'))} après la clôture ou le retrait de la demande, puis "
        "anonymisation (les chiffres des indicateurs sont gardés sans nom). Demande en cours : tant qu'elle "
        "est ouverte, ou jusqu'à la suppression du compte."
    )


def _conservation_offre() -> str:
    return (
        f"{_mois(_conservation('agrement_termine_mois'))} après la fin de validité du dernier agrément, puis "
        "anonymisation. Disponibilités affichées en ligne seulement si elles ont été confirmées depuis moins "
        "de « mois avant péremption » (paramètres de l'offre)."
    )


def _conservation_formation() -> str:
    return (
        "Suit la fiche de l'assistant·e maternel·le : anonymisation "
        f"{_mois(_conservation('agrement_termine_mois'))} après la fin de son dernier agrément, avec les "
        "demandes d'accueil alternatif des parents qui nomment les enfants qu'elle accueillait."
    )


def _conservation_tiers_payant() -> str:
    return (
        f"{_ans(_conservation('convention_terminee_ans'))} après la fin ou la résiliation de la convention "
        "(prescription des actions civiles), puis anonymisation ; relevés mensuels et signatures suivent "
        "leur convention."
    )


def _conservation_indicateurs() -> str:
    return (
        "Chiffres agrégés par relais et par année, sans nom, conservés pour le contrôle de la CAF ; les "
        "identifiants d'enregistrements qui les justifient désignent des demandes anonymisées au terme de "
        f"leur propre durée ({_mois(_conservation('demande_close_mois'))} après clôture)."
    )


def _conservation_journal() -> str:
    return (
        "Journal en ajout seul (la base refuse modification et suppression) : aucune purge automatique n'est "
        "encore paramétrée. La CNIL recommande 6 mois à 1 an pour des journaux de sécurité."
    )


def _conservation_comptes() -> str:
    return (
        "Jusqu'à la suppression du compte par la personne (« Mes données ») ; les données des démarches "
        "suivent alors leur propre durée, sans lien avec le compte."
    )


def mesures_communes() -> tuple[str, ...]:
    return (
        "Accès chiffré (HTTPS) et en-têtes de sécurité (politique de sécurité du contenu sans script en ligne).",
        "Chaque page déclare les rôles admis ; un membre d'un relais ne voit que les dossiers de ses relais "
        "(matrice des permissions vérifiée à chaque test).",
        f"Compte verrouillé après {settings.AXES_FAILURE_LIMIT} échecs de connexion ; mots de passe d'au moins "
        "12 caractères, stockés hachés.",
        f"Personnel : double authentification obligatoire, session fermée après "
        f"{settings.STAFF_SESSION_IDLE_SECONDS // 60} minutes d'inactivité.",
        "Consultations des dossiers par le personnel, exports et connexions tracés dans un journal en ajout seul.",
    )


UTILISATEUR = "comptes.User"
COMPTE = Categorie("Compte", (UTILISATEUR,), exclure=frozenset({"is_staff", "is_superuser"}))

TRAITEMENTS: tuple[Traitement, ...] = (
    Traitement(
        cle="guichet_unique",
        nom="Guichet unique des demandes d'accueil",
        finalites="Recevoir une fois la demande d'accueil d'une famille, la classer selon des critères publiés, "
        "proposer des rendez-vous et des solutions d'accueil, analyser les besoins non satisfaits.",
        base_legale="Mission d'intérêt public (art. 6.1.e RGPD) : missions des relais petite enfance, "
        "art. L214-2-1 du code de l'action sociale et des familles ; consentement recueilli au dépôt de la "
        "demande pour le traitement de ses données.",
        personnes="Parents et seconds responsables, enfants (prénom, date de naissance).",
        categories=(
            COMPTE,
            Categorie(
                "Demande d'accueil (identité, situation familiale et professionnelle, ressources, besoin)",
                ("demandes.Demande",),
            ),
            Categorie(
                "Suivi de la demande",
                ("demandes.HistoriqueDemande", "demandes.RendezVous", "demandes.Proposition", "demandes.NotePrivee"),
            ),
            Categorie(
                "Places AVIP en crèche et parcours attentionnés (PEPIT)",
                (
                    "insertion.AttributionAvip",
                    "insertion.HistoriqueAvip",
                    "insertion.ParcoursAttentionne",
                    "insertion.ContactParcours",
                ),
                exclure=frozenset({"rappel_envoye_pour"}),
            ),
            Categorie("E-mails envoyés", ("courriels.Email",), exclure=frozenset({"piece_jointe"})),
        ),
        destinataires="Animateurs et animatrices du relais de la commune de la famille ; assistant·e maternel·le "
        "proposé·e (le besoin seulement, l'identité de la famille si elle accepte d'être contactée) ; "
        "administrateurs du portail.",
        conservation=_conservation_demandes,
        securite=lambda: (
            "Besoins non satisfaits publiés par commune, âge et horaires : un effectif inférieur à "
            f"{settings.STATS_SMALL_CELL_THRESHOLD} est affiché « < {settings.STATS_SMALL_CELL_THRESHOLD} », "
            "pour qu'aucune famille ne soit reconnaissable.",
            "Notes privées du relais invisibles des autres relais et des agents de la CAF.",
        ),
    ),
    Traitement(
        cle="orientations_partenaires",
        nom="Orientation des familles par les partenaires (France Travail, services sociaux)",
        finalites="Permettre à un partenaire qui accompagne une famille (demandeur d'emploi, parcours d'insertion, "
        "parent isolé, faibles ressources) de transmettre son besoin d'accueil au relais de sa commune, qui la "
        "contacte (sous 24 h si le besoin est urgent) ; informer le partenaire de l'avancement de la demande, "
        "jamais de son contenu.",
        base_legale="Consentement de la famille (art. 6.1.a RGPD), recueilli par le partenaire avant l'orientation "
        "et daté : sans lui l'orientation est refusée ; la famille peut ensuite retirer sa demande à tout moment. "
        "La demande elle-même relève ensuite du guichet unique.",
        personnes="Parents orientés, enfants (prénom, date de naissance) ; conseillers des partenaires.",
        categories=(
            Categorie("Orientation (famille, motifs, accord de la famille)", ("orientations.Orientation",)),
            Categorie(
                "Partenaires et leurs conseillers", ("orientations.Partenaire", "orientations.MembrePartenaire")
            ),
        ),
        destinataires="Relais de la commune de la famille ; le partenaire qui l'a orientée (statut et dates de la "
        "demande seulement) ; administrateurs du portail.",
        conservation=_conservation_demandes,
        securite=lambda: (
            "Un partenaire ne voit que les orientations de son organisme, et d'elles seulement le statut et les "
            "dates : ni notes, ni propositions, ni assistants maternels.",
        ),
    ),
    Traitement(
        cle="offre_assmats",
        nom="Offre d'accueil des assistants maternels",
        finalites="Tenir à jour l'offre du territoire : agréments, places libres calculées, disponibilités "
        "affichées aux familles avec l'accord de l'assistant·e maternel·le, sous-activité et entretiens, "
        "labels AVIP.",
        base_legale="Mission d'intérêt public (art. 6.1.e RGPD) ; consentement pour l'affichage public des "
        "disponibilités et du téléphone (art. 6.1.a), retirable à tout moment dans le profil.",
        personnes="Assistants maternels ; enfants accueillis (prénom, date de naissance).",
        categories=(
            COMPTE,
            Categorie("Fiche et agrément", ("assmats.AssistantMaternel", "assmats.Agrement")),
            Categorie("Enfants accueillis", ("assmats.Accueil",)),
            Categorie("Disponibilités", ("assmats.Disponibilite", "assmats.HistoriqueAffichage")),
            Categorie(
                "Sous-activité, entretiens, label AVIP",
                ("assmats.SignalementSousActivite", "assmats.Entretien", "assmats.LabelAvip"),
            ),
        ),
        destinataires="Relais du territoire de l'assistant·e maternel·le ; agents de la CAF du département ; "
        "familles et public pour les disponibilités affichées (prénom, initiale du nom, commune, places).",
        conservation=_conservation_offre,
    ),
    Traitement(
        cle="formation_continue",
        nom="Formation continue des assistants maternels",
        finalites="Recueillir les souhaits de formation, mettre en relation avec les organismes, inscrire aux "
        "sessions et suivre les départs ; organiser l'accueil des enfants pendant la formation.",
        base_legale="Mission d'intérêt public (art. 6.1.e RGPD) : mission 3 de la circulaire CNAF C 2017-003.",
        personnes="Assistants maternels ; parents et enfants concernés par une absence en formation.",
        categories=(
            Categorie("Souhaits et inscriptions", ("formation.SouhaitFormation", "formation.Inscription")),
            Categorie("Historique des inscriptions", ("formation.HistoriqueInscription",)),
            Categorie(
                "Accueil alternatif",
                (
                    "formation.EnfantConcerne",
                    "formation.DemandeAccueilAlternatif",
                    "formation.PropositionAccueilAlternatif",
                ),
            ),
        ),
        destinataires="Relais organisateur ; organisme de formation (nom et coordonnées des inscrits, lors "
        "d'une mise en relation) ; parents concernés (la solution proposée).",
        conservation=_conservation_formation,
    ),
    Traitement(
        cle="tiers_payant",
        nom="Tiers payant du complément de libre choix du mode de garde (CMG)",
        finalites="Préparer, faire signer et suivre la convention tripartite par laquelle la CAF verse le CMG "
        "directement à l'assistant·e maternel·le ; relevés mensuels et paiements.",
        base_legale="Exécution d'un contrat auquel la personne est partie (art. 6.1.b RGPD) : la convention "
        "signée par la CAF, les parents et l'assistant·e maternel·le.",
        personnes="Parents, enfant accueilli, assistant·e maternel·le.",
        categories=(
            Categorie("Convention (identité, ressources du foyer, montants)", ("tiers_payant.Convention",)),
            Categorie(
                "Signatures et documents",
                ("tiers_payant.SignatureConvention", "tiers_payant.DocumentConvention"),
                exclure=frozenset({"contenu"}),
            ),
            Categorie("Suivi", ("tiers_payant.HistoriqueConvention", "tiers_payant.ReleveMensuel")),
        ),
        destinataires="CAF du département (paiement) ; relais qui prépare la convention ; les parties signataires.",
        conservation=_conservation_tiers_payant,
        securite=lambda: (
            "Documents PDF gardés en base avec leur empreinte SHA-256, jamais servis par une adresse publique.",
        ),
    ),
    Traitement(
        cle="indicateurs",
        nom="Indicateurs des missions renforcées pour la CAF",
        finalites="Calculer chaque année les indicateurs de la circulaire C 2017-003 par relais, et le "
        "rapport joint à la demande de financement.",
        base_legale="Mission d'intérêt public (art. 6.1.e RGPD) : financement des relais par la CAF (bonus "
        "« missions renforcées »).",
        personnes="Aucune directement : chiffres agrégés ; les demandes et inscriptions comptées.",
        categories=(Categorie("Chiffres et engagements", ("indicateurs.Snapshot", "indicateurs.Engagement")),),
        destinataires="Relais concerné ; agents de la CAF du département.",
        conservation=_conservation_indicateurs,
    ),
    Traitement(
        cle="journal",
        nom="Journal d'accès et sécurité des comptes",
        finalites="Tracer les consultations de dossiers par le personnel, les exports et les connexions ; "
        "détecter et instruire un accès abusif ; protéger les comptes contre les attaques.",
        base_legale="Obligation légale de sécurité (art. 6.1.c et art. 32 RGPD).",
        personnes="Toute personne qui se connecte ; personnel du relais, de la CAF et administrateurs.",
        categories=(COMPTE, Categorie("Journal d'accès", ("audit.AuditLog",))),
        destinataires="Administrateurs du portail et agents de la CAF (recherche dans le journal).",
        conservation=_conservation_journal,
        securite=lambda: ("Le journal refuse toute modification ou suppression (déclencheur PostgreSQL).",),
    ),
)


@dataclass(frozen=True)
class Ligne:
    """One activity, resolved now: fields read from the models, delays and figures from the settings."""

    traitement: Traitement
    categories: list[tuple[str, list[str]]] = field(default_factory=list)
    conservation: str = ""
    securite: tuple[str, ...] = ()


def registre() -> list[Ligne]:
    communes = mesures_communes()
    comptes = _conservation_comptes()
    lignes = []
    for traitement in TRAITEMENTS:
        conservation = traitement.duree_de_conservation
        if COMPTE in traitement.categories:
            conservation = f"{conservation} Compte : {comptes}"
        lignes.append(
            Ligne(
                traitement=traitement,
                categories=[(c.libelle, c.champs()) for c in traitement.categories],
                conservation=conservation,
                securite=(*communes, *traitement.securite()),
            )
        )
    return lignes


def en_lignes_csv(lignes: list[Ligne]) -> list[list[str]]:
    """The register as rows for a CSV file (one row per activity)."""
    rows = [
        [
            "Traitement",
            "Finalités",
            "Base légale",
            "Personnes concernées",
            "Catégories de données",
            "Destinataires",
            "Durée de conservation",
            "Transferts hors UE",
            "Mesures de sécurité",
        ]
    ]
    for ligne in lignes:
        t = ligne.traitement
        rows.append(
            [
                t.nom,
                t.finalites,
                t.base_legale,
                t.personnes,
                " | ".join(f"{libelle} : {', '.join(champs)}" for libelle, champs in ligne.categories),
                t.destinataires,
                ligne.conservation,
                t.transferts,
                " | ".join(ligne.securite),
            ]
        )
    return rows
