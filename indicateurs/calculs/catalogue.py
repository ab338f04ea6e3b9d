"""The list of indicators: their codes, missions, French names and definitions, and the computation of all."""

from collections.abc import Callable
from dataclasses import dataclass

from indicateurs.calculs.communs import Resultat
from indicateurs.calculs.hors_bonus import (
    bas_revenus_creche,
    besoins_non_satisfaits,
    delai_premier_rendez_vous,
    urgences_24h,
)
from indicateurs.calculs.mission_1 import mission_1_demandes_en_ligne
from indicateurs.calculs.mission_2 import mission_2a_entretiens, mission_2b_disponibilites
from indicateurs.calculs.mission_3 import mission_3a_departs_formation, mission_3b_accueil_alternatif


@dataclass(frozen=True)
class Indicateur:
    code: str
    mission: int | None
    libelle: str
    fonction: Callable[[list[int], int], dict[int, Resultat]]
    # "taux": value is a share (shown in %); "progression": ratio N / N-1; "jours"; "nombre".
    format: str
    # What a person reads in a column header or next to a count: a short name, then what the numerator and the
    # denominator count (for a median or a count they are not a fraction, so they are named, never divided).
    court: str = ""
    noms: tuple[str, str] = ("numérateur", "dénominateur")
    # The same for a count of 0 or 1 (« 1 demande close », never « 1 demandes closes »).
    noms_au_singulier: tuple[str, str] = ("numérateur", "dénominateur")

    def nombre_de(self, n: int, rang: int) -> str:
        """`n` with what it counts, agreed in number: rang 0 the numerator's, 1 the denominator's."""
        return f"{n} {(self.noms_au_singulier if n < 2 else self.noms)[rang]}"

    @property
    def est_un_rapport(self) -> bool:
        """A share or a progression: the only figures shown as numerator / denominator = value."""
        return self.format in ("taux", "progression")

    @property
    def definition(self) -> str:
        """What the relais and the CAF read (page and annual report): the French twin of the docstring."""
        return DEFINITIONS[self.code] + "\n" + REGLE_COMMUNE


# The exact rule of each indicator in French, as printed in the report a relais attaches to its application.
# Keep each in step with its function's docstring (tests/indicateurs/test_definitions.py checks both exist).
DEFINITIONS = {
    "m1_demandes_en_ligne": (
        'Circulaire : « ouverture du service en ligne et mission de "guichet unique" confiée au Ram qui n\'en '
        "ont pas ; progression de 20 % du nombre de demandes d'accueil en ligne traitées pour ceux qui ont déjà "
        "ouvert ce service. »\n"
        "Atteint si le service en ligne et le guichet unique ont été ouverts pendant l'année N (au plus tard à la "
        "date de référence). Pour un relais "
        "ouvert avant N : atteint si les demandes traitées en N sont au moins 1,20 fois celles traitées en N-1 ; "
        "non calculable (donc non atteint) si aucune demande n'a été traitée en N-1. Un relais dont le service "
        "n'est pas encore ouvert à la date de référence (31 décembre de N, ou aujourd'hui pour l'année en cours) ne "
        "l'atteint pas et compte 0 demande en ligne. Une demande en ligne est une demande du portail déposée le "
        "jour de l'ouverture du service en ligne du relais ou après : une demande déposée avant l'ouverture ne "
        "peut pas avoir été traitée en ligne et ne compte jamais, quelles que soient ses actions ultérieures ; une "
        "demande reçue par téléphone ou à l'accueil et saisie par le relais n'est pas une demande en ligne. Une "
        "demande est traitée l'année de la première action du relais envers la famille (rendez-vous proposé, "
        "proposition, solution ou clôture « sans solution »), une seule fois, pour le relais dont elle relève "
        "aujourd'hui. Une demande retirée avant toute action n'est jamais traitée.\n"
        "Numérateur : demandes traitées en N ; dénominateur : demandes traitées en N-1 ; valeur : leur rapport."
    ),
    "m2a_entretiens": (
        "Circulaire : « Proposer des entretiens à (au moins) 50 % des assistants maternels ayant signalé leur "
        "sous activité au Ram ».\n"
        "Dénominateur : assistants maternels du territoire (commune de leur fiche aujourd'hui) ayant signalé une "
        "sous-activité en N ; numérateur : ceux d'entre eux à qui au moins un entretien (individuel ou collectif) "
        "a été proposé sur l'un de ces signalements, après le signalement. Un assistant maternel qui a signalé "
        "deux fois compte une fois. Cible : au moins 50 % ; non calculable si personne n'a signalé."
    ),
    "m2b_disponibilites": (
        "Circulaire : « Atteindre 30 % de l'affichage des disponibilités des assistants maternels sur "
        "mon-enfant.fr ».\n"
        "À la date de référence R (31 décembre de N, ou aujourd'hui pour l'année en cours). Dénominateur : "
        "assistants maternels du territoire dont l'agrément est valide à R ; numérateur : ceux d'entre eux qui, à "
        "la fin de R, acceptent l'affichage (dernier état de leur historique d'affichage daté d'avant la fin de "
        "R) et ont déclaré ou confirmé leurs disponibilités dans les mois de validité d'une déclaration (3 par "
        "défaut) qui précèdent la fin de R. Ce qui se passe après R ne change pas le chiffre de R. Cible : au "
        "moins 30 %."
    ),
    "m3a_departs_formation": (
        "Circulaire : « Progression de 10 % des assistants maternels du territoire partis en formation continue "
        "grâce à l'action du Ram ».\n"
        "Numérateur : assistants maternels du territoire (commune de leur fiche aujourd'hui) dont une inscription "
        "marquée « grâce à l'action du relais » a un départ en formation en N ; une inscription annulée avant le "
        "départ ne compte pas, une formation interrompue après le départ compte. Dénominateur : le même compte "
        "pour N-1. Atteint si le numérateur est au moins 1,10 fois le dénominateur ; non calculable si N-1 vaut "
        "0. Un départ sans l'aide du relais ne compte pas."
    ),
    "m3b_accueil_alternatif": (
        "Circulaire : « Proposer une solution de garde alternative à 80 % des parents qui en font la demande "
        "auprès du Ram ».\n"
        "Dénominateur : demandes d'accueil alternatif reçues par le relais en N ; numérateur : celles qui ont "
        "reçu au moins une proposition, quelle que soit la réponse du parent. Cible : au moins 80 % ; non "
        "calculable s'il n'y a eu aucune demande."
    ),
    "bas_revenus_creche": (
        "Part des familles à bas revenus parmi les solutions en crèche (cible : au moins 10 % ; hors bonus).\n"
        "Dénominateur : demandes du relais closes « solution trouvée » en N (date du passage à ce statut) avec "
        "une solution en crèche (EAJE) ; numérateur : celles dont la famille perçoit le RSA ou a un quotient "
        "familial inférieur à 700 € (le montant, ou la tranche « moins de 700 € » quand le montant est inconnu)."
    ),
    "delai_premier_rdv": (
        "Délai médian entre le dépôt et le premier rendez-vous (sans cible).\n"
        "Demandes du relais déposées en N ; pour celles qui ont eu au moins un rendez-vous, le délai est la date "
        "et l'heure du premier rendez-vous moins celles du dépôt, en jours ; la valeur est la médiane de ces "
        "délais. Un rendez-vous prévu plus tard que le moment du calcul n'est pas encore un premier rendez-vous, "
        "ni un rendez-vous annulé ou auquel la famille n'est pas venue. "
        "Numérateur : demandes avec un rendez-vous ; dénominateur : demandes déposées en N."
    ),
    "urgences_24h": (
        "Part des besoins urgents traités sous 24 h (sans cible).\n"
        "Dénominateur : demandes urgentes du relais déposées en N, sauf celles que la famille a retirées dans les "
        "24 h avant toute action ; numérateur : celles dont la première action du relais envers la famille (comme "
        "pour la mission 1) a eu lieu au plus 24 h après le dépôt."
    ),
    "besoins_non_satisfaits": (
        "Demandes sans solution (sans cible).\n"
        "Demandes du relais closes « sans solution » en N (date du passage à ce statut), parmi les demandes "
        "closes avec ou sans solution en N. La valeur est leur nombre. Le détail par commune, âge et horaires est "
        "sur la page « besoins non satisfaits »."
    ),
}


# Every indicator: `jusqu_a`.
REGLE_COMMUNE = (
    "Un enregistrement daté après le moment du calcul ne compte jamais. Pour l'année en cours, les chiffres sont "
    "provisoires : ils sont arrêtés au jour du calcul."
)


INDICATEURS = [
    Indicateur(
        "m1_demandes_en_ligne",
        1,
        "Demandes en ligne traitées (N / N-1), ou ouverture du service en N",
        mission_1_demandes_en_ligne,
        "progression",
        "M1 demandes en ligne",
        ("demandes traitées en N", "demandes traitées en N-1"),
        ("demande traitée en N", "demande traitée en N-1"),
    ),
    Indicateur(
        "m2a_entretiens",
        2,
        "Assistants maternels en sous-activité à qui un entretien a été proposé",
        mission_2a_entretiens,
        "taux",
        "M2a entretiens",
        ("assistants maternels à qui un entretien a été proposé", "assistants maternels en sous-activité"),
        ("assistant maternel à qui un entretien a été proposé", "assistant maternel en sous-activité"),
    ),
    Indicateur(
        "m2b_disponibilites",
        2,
        "Assistants maternels agréés affichant leurs disponibilités",
        mission_2b_disponibilites,
        "taux",
        "M2b disponibilités affichées",
        ("assistants maternels affichant leurs disponibilités", "assistants maternels agréés"),
        ("assistant maternel affichant ses disponibilités", "assistant maternel agréé"),
    ),
    Indicateur(
        "m3a_departs_formation",
        3,
        "Départs en formation grâce au relais (N / N-1)",
        mission_3a_departs_formation,
        "progression",
        "M3a départs en formation",
        ("assistants maternels partis en N", "assistants maternels partis en N-1"),
        ("assistant maternel parti en N", "assistant maternel parti en N-1"),
    ),
    Indicateur(
        "m3b_accueil_alternatif",
        3,
        "Demandes d'accueil alternatif ayant reçu une proposition",
        mission_3b_accueil_alternatif,
        "taux",
        "M3b accueil alternatif",
        ("demandes avec une proposition", "demandes d'accueil alternatif"),
        ("demande avec une proposition", "demande d'accueil alternatif"),
    ),
    Indicateur(
        "bas_revenus_creche",
        None,
        "Familles à bas revenus parmi les solutions en crèche",
        bas_revenus_creche,
        "taux",
        "Bas revenus en crèche",
        ("familles à bas revenus", "solutions en crèche"),
        ("famille à bas revenus", "solution en crèche"),
    ),
    Indicateur(
        "delai_premier_rdv",
        None,
        "Délai médian entre dépôt et premier rendez-vous",
        delai_premier_rendez_vous,
        "jours",
        "Délai avant le premier rendez-vous",
        ("demandes avec un rendez-vous", "demandes déposées"),
        ("demande avec un rendez-vous", "demande déposée"),
    ),
    Indicateur(
        "urgences_24h",
        None,
        "Besoins urgents traités sous 24 h",
        urgences_24h,
        "taux",
        "Urgences sous 24 h",
        ("besoins urgents traités sous 24 h", "besoins urgents"),
        ("besoin urgent traité sous 24 h", "besoin urgent"),
    ),
    Indicateur(
        "besoins_non_satisfaits",
        None,
        "Demandes closes sans solution",
        besoins_non_satisfaits,
        "nombre",
        "Demandes sans solution",
        ("demandes closes sans solution", "demandes closes"),
        ("demande close sans solution", "demande close"),
    ),
]
PAR_CODE = {indicateur.code: indicateur for indicateur in INDICATEURS}


def codes_de_la_mission(mission: int) -> list[str]:
    return [indicateur.code for indicateur in INDICATEURS if indicateur.mission == mission]


def calculer_tout(relais_ids: list[int], annee: int) -> dict[int, list[Resultat]]:
    """Every indicator for several relais: each heavy indicator is one grouped query for all of them."""
    par_indicateur = [indicateur.fonction(relais_ids, annee) for indicateur in INDICATEURS]
    return {relais_id: [resultats[relais_id] for resultats in par_indicateur] for relais_id in relais_ids}
