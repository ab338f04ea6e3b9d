"""A partner refers a family to its relais, with the family's consent: the request is filed on its behalf."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from comptes.models import User
from demandes import services as demandes
from demandes.models import Mode, Situation, Source, TrancheQf
from orientations.models import MotifOrientation, Orientation
from orientations.permissions import membre_partenaire

# The request's own refusals, raised through `orienter`: the view names them from here.
CommuneHorsTerritoire = demandes.CommuneHorsTerritoire
AdresseDUnAutreCompte = demandes.AdresseDUnAutreCompte
DemandeEnDouble = demandes.DemandeEnDouble


class ConsentementManquant(ValueError):
    pass


@dataclass(frozen=True)
class DonneesOrientation:
    """What the adviser fills in: who the family is, the child, the need, why; the family completes the rest."""

    prenom: str
    nom: str
    email: str
    commune_id: int
    code_postal: str
    enfant_prenom: str
    enfant_date: date
    date_debut_souhaitee: date
    consentement: bool
    consentement_le: date | None
    telephone: str = ""
    enfant_a_naitre: bool = False
    urgence: bool = False
    urgence_motif: str = ""
    motifs: list[str] = field(default_factory=list)

    def demande(self) -> demandes.DonneesDemande:
        motifs = set(self.motifs)
        situation = next(
            (
                s
                for m, s in [
                    (MotifOrientation.RECHERCHE_EMPLOI, Situation.RECHERCHE_EMPLOI),
                    (MotifOrientation.FORMATION, Situation.FORMATION),
                    (MotifOrientation.INSERTION, Situation.INSERTION),
                ]
                if m in motifs
            ),
            Situation.AUTRE,
        )
        # The ranking's criteria come from the adviser's reasons; the weekly hours and the modes wanted are the
        # family's to say when it completes its request.
        return demandes.DonneesDemande(
            telephone=self.telephone,
            code_postal=self.code_postal,
            commune_id=self.commune_id,
            enfant_prenom=self.enfant_prenom,
            enfant_date=self.enfant_date,
            enfant_a_naitre=self.enfant_a_naitre,
            date_debut_souhaitee=self.date_debut_souhaitee,
            creneaux=[],
            modes=[Mode.INDIFFERENT],
            situation_parent1=situation,
            parent_isole=MotifOrientation.PARENT_ISOLE in motifs,
            tranche_qf=TrancheQf.MOINS_700 if MotifOrientation.FAIBLES_RESSOURCES in motifs else "",
            urgence=self.urgence,
            urgence_motif=self.urgence_motif if self.urgence else "",
        )


@transaction.atomic
def orienter(*, par: User, donnees: DonneesOrientation) -> Orientation:
    """Le ou la conseillère d'un partenaire oriente une famille, qui a donné son accord, vers le relais de sa
    commune. La demande est déposée au nom de la famille (son compte, créé sans mot de passe au besoin), entre
    dans la file comme les autres (urgence sous 24 h comprise), et la famille reçoit un courriel pour la compléter.
    """
    membre = membre_partenaire(par)
    if not donnees.consentement or donnees.consentement_le is None:
        raise ConsentementManquant(
            "L'orientation n'est pas possible sans l'accord de la famille pour être contactée par le relais : "
            "cochez la case et indiquez la date de cet accord."
        )
    if donnees.consentement_le > timezone.localdate():
        raise ConsentementManquant("La date de l'accord de la famille ne peut pas être dans le futur.")
    relais = demandes.relais_de_la_commune(donnees.commune_id)
    if not membre.partenaire.relais.filter(pk=relais.pk).exists():
        raise CommuneHorsTerritoire(
            f"Cette commune relève du {relais.nom}, vers lequel votre organisme n'oriente pas de familles : "
            "contactez-le directement."
        )
    parent = demandes.compte_de_la_famille(prenom=donnees.prenom, nom=donnees.nom, email=donnees.email)
    qui = par.get_full_name() or par.email
    demande = demandes.deposer(
        parent=parent,
        donnees=donnees.demande(),
        source=Source.ORIENTATION,
        saisie_par=par,
        note=(
            f"Famille orientée par {membre.partenaire.nom} ({qui}, {par.email}), avec son accord donné le "
            f"{donnees.consentement_le:%d/%m/%Y}."
        ),
        confirmer=False,
    )
    orientation = Orientation.objects.create(
        partenaire=membre.partenaire,
        orientee_par=par,
        demande=demande,
        famille_prenom=donnees.prenom.strip(),
        famille_nom=donnees.nom.strip(),
        motifs=[m for m in MotifOrientation.values if m in donnees.motifs],
        consentement_le=donnees.consentement_le,
    )
    demandes.mettre_en_file_email(
        destinataires=[parent.email],
        sujet=f"[Guichet RPE] {membre.partenaire.nom} vous oriente vers le {relais.nom} – {demande.reference}",
        template="orientations/emails/invitation_famille.txt",
        contexte={
            "demande": demande,
            "partenaire": membre.partenaire,
            "lien": reverse("demandes:detail", args=[demande.pk]),
            "lien_mot_de_passe": reverse("account_reset_password"),
            "sans_mot_de_passe": not parent.has_usable_password(),
        },
        demande=demande,
    )
    return orientation
