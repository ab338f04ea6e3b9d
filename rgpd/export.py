"""Everything the portal holds about one person (GDPR art. 15 and 20), as plain dicts.

Only reads. Each app's part is one function, scoped by that app's own `*_for_user` permission
querysets, so that the export shows exactly what the person may see on the portal and never another
family's rows. Rows are fetched with an explicit `order_by`: two exports of the same data are the
same file.

Shape: `{"portail", "personne", "genere_le", "sections": {cle: section}}`, where a section is
`{"titre", "explication", "libelles": {champ: libellé}, "sous_tables": {cle: {"titre", "libelles"}},
"lignes": [{champ: valeur, cle_de_sous_table: [{champ: valeur}]}]}`. Keys are field names (stable for
a program), labels come from the models' `verbose_name`s (readable for a person): a field added to a
model appears in the export without touching this module, unless it is listed as technical.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import models
from django.utils import timezone

from assmats.permissions import assmats_for_user
from audit.models import AuditLog
from comptes.models import Role, User

# The outbox has no selector or permission helper: it is read here for the person's own address only.
from demandes.models import Email
from demandes.permissions import demandes_for_user
from demandes.selectors import list_propositions_de_l_assmat
from formation.permissions import demandes_alternatives_for_user, inscriptions_for_user, souhaits_for_user
from tiers_payant.permissions import conventions_for_user

# Fields that say nothing about the person: internal keys, de-duplication helpers, reminder bookkeeping.
TECHNIQUES = frozenset(
    {
        "password",
        "is_superuser",
        "is_staff",
        "jeton_depot",
        "jeton",
        "enfant_prenom_normalise",
        "rappel_envoye_le",
        "rappel_expiration_envoye_le",
        "relais_notifie_le",
        "parent_notifie_le",
        "invitation_envoyee_le",
    }
)
# Django's own fields without a French verbose_name.
LIBELLES_PAR_DEFAUT = {
    "created_at": "créé le",
    "updated_at": "modifié le",
    "first_name": "prénom",
    "last_name": "nom",
    "last_login": "dernière connexion",
    "date_joined": "compte créé le",
    "is_active": "compte actif",
    "last_used_at": "dernière utilisation",
    "donnees": "données saisies",
}


@dataclass(frozen=True)
class Calcule:
    """A column that is not a model field (a derived or narrowed value)."""

    nom: str
    libelle: str
    valeur: Callable[[Any], Any]


@dataclass(frozen=True)
class SousTable:
    """Rows attached to each row of a section (a request's history, a convention's statements…)."""

    cle: str
    titre: str
    modele: type[models.Model]
    objets: Callable[[Any], Iterable[models.Model]]
    exclure: frozenset[str] = frozenset()
    calcules: tuple[Calcule, ...] = ()


@dataclass
class _Colonnes:
    champs: list[models.Field]
    calcules: tuple[Calcule, ...] = ()
    libelles: dict[str, str] = field(init=False)

    def __post_init__(self):
        self.libelles = {c.name: libelle_du_champ(c) for c in self.champs} | {c.nom: c.libelle for c in self.calcules}

    def ligne(self, instance) -> dict[str, Any]:
        return {c.name: _valeur(instance, c) for c in self.champs} | {c.nom: c.valeur(instance) for c in self.calcules}


def libelle_du_champ(champ: models.Field) -> str:
    libelle = str(champ.verbose_name)
    # Django derives a missing verbose_name from the field's name, in English.
    if libelle == champ.name.replace("_", " "):
        return LIBELLES_PAR_DEFAUT.get(champ.name, libelle)
    return libelle


def _champs(modele: type[models.Model], exclure: Iterable[str] = ()) -> list[models.Field]:
    """Every stored field but the primary key, binary contents and the technical ones, in model order."""
    exclus = TECHNIQUES | set(exclure)
    return [
        champ
        for champ in modele._meta.concrete_fields
        if not champ.primary_key and champ.name not in exclus and not isinstance(champ, models.BinaryField)
    ]


def _valeur(instance: models.Model, champ: models.Field) -> Any:
    """What the person sees on the portal: choice labels rather than codes, a related row by its name."""
    if champ.is_relation:
        cible = getattr(instance, champ.name)
        return None if cible is None else str(cible)
    valeur = getattr(instance, champ.attname)
    if champ.choices and valeur not in (None, ""):
        return str(dict(champ.flatchoices).get(valeur, valeur))
    base = getattr(champ, "base_field", None)
    if base is not None and base.choices and valeur:
        libelles = dict(base.flatchoices)
        return [str(libelles.get(v, v)) for v in valeur]
    return valeur


def section(
    titre: str,
    modele: type[models.Model],
    objets: Iterable[models.Model],
    *,
    explication: str = "",
    exclure: Iterable[str] = (),
    calcules: tuple[Calcule, ...] = (),
    sous_tables: tuple[SousTable, ...] = (),
) -> dict[str, Any]:
    colonnes = _Colonnes(_champs(modele, exclure), calcules)
    sous = [(st, _Colonnes(_champs(st.modele, st.exclure), st.calcules)) for st in sous_tables]
    lignes = []
    for instance in objets:
        ligne = colonnes.ligne(instance)
        for st, cols in sous:
            ligne[st.cle] = [cols.ligne(objet) for objet in st.objets(instance)]
        lignes.append(ligne)
    return {
        "titre": titre,
        "explication": explication,
        "libelles": colonnes.libelles,
        "sous_tables": {st.cle: {"titre": st.titre, "libelles": cols.libelles} for st, cols in sous},
        "lignes": lignes,
    }


def _related(instance: models.Model, nom: str) -> type[models.Model]:
    return instance._meta.get_field(nom).related_model


# --- The account (every role) ------------------------------------------------------------------------------------


def export_compte(user: User) -> dict[str, dict]:
    adresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email", "pk")
    facteurs = Authenticator.objects.filter(user=user).order_by("created_at", "pk")
    return {
        "compte": section(
            "Mon compte",
            User,
            [user],
            exclure={"groups", "user_permissions"},
            explication="Votre identité et vos coordonnées, telles que vous les avez saisies à l'inscription ou "
            "dans « Mon compte ».",
        ),
        "adresses_email": section(
            "Mes adresses e-mail",
            EmailAddress,
            adresses,
            exclure={"user"},
            explication="Vérifiée : vous avez "
            "cliqué sur le lien reçu. L'adresse principale est celle qui sert à vous connecter.",
        ),
        # The type and dates only: the TOTP secret and recovery codes are credentials, not data to hand out.
        "second_facteur": section("Ma double authentification", Authenticator, facteurs, exclure={"user", "data"}),
    }


def export_journal(user: User) -> dict[str, dict]:
    """The person's own logins and logouts. Staff reads of their file are the relais' accountability record,
    searched by admins and the CAF on request; the person may ask the relais for them (art. 15 (1) (c))."""
    entrees = AuditLog.objects.filter(
        user_id=user.pk, action__in=[AuditLog.Action.LOGIN, AuditLog.Action.LOGOUT]
    ).order_by("created_at", "pk")
    return {
        "connexions": section(
            "Mes connexions",
            AuditLog,
            entrees,
            exclure={"user", "email", "role", "object_type", "object_id", "description", "vue", "parametres"}
            | {"relais", "departement"},
            explication="Date, adresse IP et page de chaque connexion et déconnexion, gardées pour la sécurité "
            "de votre compte.",
        )
    }


def export_emails(user: User) -> dict[str, dict]:
    """Messages the portal sent to the person's address: subject and dates (the text is in their mailbox)."""
    envois = Email.objects.filter(destinataire__iexact=user.email).order_by("created_at", "pk")
    return {
        "emails": section(
            "E-mails envoyés par le portail",
            Email,
            envois,
            exclure={
                "corps",
                "piece_jointe",
                "piece_jointe_nom",
                "piece_jointe_type",
                "tentatives",
                "derniere_erreur",
            },
        )
    }


# --- A parent ------------------------------------------------------------------------------------------------------


def export_demandes(user: User) -> dict[str, dict]:
    """Requests where the person is the parent or the second guardian, with everything attached to them.

    The relais' private notes are included. They are the team's working notes, never shown on the
    request's page, but they are personal data about the family, and the right of access covers them
    (CNIL: internal notes are communicable; hence the relais are told to write them as the family may
    read them). Only their text, date and author are given."""
    demandes = (
        demandes_for_user(user).select_related("commune", "relais", "parent", "prise_par").order_by("date_depot", "pk")
    )
    modele = demandes.model

    def sous(cle: str, titre: str, ordre: tuple[str, ...], exclure=frozenset({"demande"})) -> SousTable:
        cible = modele._meta.get_field(cle).related_model
        return SousTable(cle, titre, cible, lambda d: getattr(d, cle).order_by(*ordre), exclure=exclure | {"demande"})

    return {
        "demandes": section(
            "Mes demandes d'accueil",
            modele,
            demandes,
            exclure={"creneaux"},
            calcules=(Calcule("creneaux", "planning hebdomadaire", lambda d: d.creneaux_lisibles),),
            sous_tables=(
                sous("historique", "Historique", ("created_at", "pk")),
                sous("rendez_vous", "Rendez-vous", ("debut", "pk")),
                sous("propositions", "Propositions", ("created_at", "pk")),
                sous("notes_privees", "Notes du relais", ("created_at", "pk")),
            ),
        )
    }


def export_brouillon(user: User) -> dict[str, dict]:
    brouillon = getattr(user, "brouillon", None)
    modele = User._meta.get_field("brouillon").related_model
    return {
        "brouillon": section(
            "Demande en cours de saisie",
            modele,
            [brouillon] if brouillon else [],
            exclure={"parent"},
            explication="Ce que vous avez saisi dans le formulaire de demande sans l'envoyer.",
        )
    }


def export_accueils_alternatifs(user: User) -> dict[str, dict]:
    demandes = (
        demandes_alternatives_for_user(user)
        .select_related("relais", "inscription__session", "inscription__assistant_maternel")
        .order_by("created_at", "pk")
    )
    modele = demandes.model
    return {
        "accueils_alternatifs": section(
            "Mes demandes d'accueil pendant une formation",
            modele,
            demandes,
            exclure={"enfant_concerne", "enregistree_par"},
            sous_tables=(
                SousTable(
                    "propositions",
                    "Solutions proposées",
                    modele._meta.get_field("propositions").related_model,
                    lambda d: d.propositions.select_related("assistant_maternel", "structure").order_by(
                        "propose_le", "pk"
                    ),
                    exclure=frozenset({"demande", "propose_par"}),
                ),
            ),
        )
    }


# --- Conventions (a parent or a childminder) ----------------------------------------------------------------------

# What the family declared to the CAF for its CMG: the childminder is a party to the convention but does
# not see the family's resources on the portal, so neither does her export.
RESSOURCES_DE_LA_FAMILLE = frozenset(
    {"ressources_mensuelles", "enfants_a_charge", "parent_isole", "rsa", "aeeh", "aah", "calcul_cmg", "reste_estime"}
)


def export_conventions(user: User) -> dict[str, dict]:
    conventions = (
        conventions_for_user(user)
        .select_related("relais", "parent", "parent2", "commune_famille", "assistant_maternel", "created_by")
        .order_by("created_at", "pk")
    )
    modele = conventions.model
    cible = modele._meta.get_field
    exclure = {"created_by"} | (RESSOURCES_DE_LA_FAMILLE if user.role == Role.ASSMAT else set())
    return {
        "conventions": section(
            "Mes conventions de tiers payant",
            modele,
            conventions,
            exclure=exclure,
            sous_tables=(
                SousTable(
                    "signatures",
                    "Signatures",
                    cible("signatures").related_model,
                    lambda c: c.signatures.select_related("user").order_by("signed_at", "pk"),
                    exclure=frozenset({"convention"}),
                ),
                SousTable(
                    "documents",
                    "Documents PDF (empreintes)",
                    cible("documents").related_model,
                    lambda c: c.documents.defer("contenu").order_by("created_at", "pk"),
                    exclure=frozenset({"convention"}),
                ),
                SousTable(
                    "historique",
                    "Historique",
                    cible("historique").related_model,
                    lambda c: c.historique.select_related("auteur").order_by("at", "pk"),
                    exclure=frozenset({"convention"}),
                ),
                SousTable(
                    "releves",
                    "Relevés mensuels",
                    cible("releves").related_model,
                    lambda c: c.releves.select_related("saisi_par", "confirme_par").order_by("mois", "pk"),
                    exclure=frozenset({"convention"}),
                ),
            ),
        )
    }


# --- A childminder --------------------------------------------------------------------------------------------------


def _mois(jour: date | None) -> str | None:
    return jour.strftime("%Y-%m") if jour else None


def export_assmat(user: User) -> dict[str, dict]:
    """Her file, agrément, children in care, availability, under-activity reports and interviews, AVIP labels."""
    fiches = list(assmats_for_user(user).select_related("commune").order_by("pk"))
    modele = assmats_for_user(user).model
    lien = modele._meta.get_field

    def de_ses_fiches(cle: str, ordre: tuple[str, ...]) -> list:
        return [objet for fiche in fiches for objet in getattr(fiche, cle).order_by(*ordre)]

    def unique(cle: str) -> list:
        return [getattr(fiche, cle) for fiche in fiches if hasattr(fiche, cle)]

    signalements = de_ses_fiches("signalements_sous_activite", ("signale_le", "pk"))
    return {
        "fiche": section(
            "Ma fiche d'assistant·e maternel·le",
            modele,
            fiches,
            exclure={"user"},
            explication="Les consentements à l'affichage en ligne y figurent (« afficher mes disponibilités »).",
        ),
        "agrement": section(
            "Mon agrément", lien("agrement").related_model, unique("agrement"), exclure={"assistant_maternel"}
        ),
        # The children are third parties: their first name and birth month, as the childminder typed them, are
        # what her activity needs (free places by age band); the exact birth date stays on her own page.
        "enfants_accueillis": section(
            "Enfants accueillis",
            lien("accueils").related_model,
            de_ses_fiches("accueils", ("date_debut", "prenom_enfant", "pk")),
            exclure={"assistant_maternel", "date_naissance"},
            calcules=(Calcule("mois_naissance", "mois de naissance de l'enfant", lambda a: _mois(a.date_naissance)),),
        ),
        "disponibilites": section(
            "Mes disponibilités",
            lien("disponibilite").related_model,
            unique("disponibilite"),
            exclure={"assistant_maternel"},
        ),
        "historique_affichage": section(
            "Historique de l'affichage de mes disponibilités",
            lien("historique_affichage").related_model,
            de_ses_fiches("historique_affichage", ("le", "pk")),
            exclure={"assistant_maternel"},
            explication="Chaque consentement à l'affichage donné ou retiré, chaque déclaration ou confirmation de "
            "vos disponibilités, datés : l'indicateur d'affichage des disponibilités du relais en est tiré.",
        ),
        "sous_activite": section(
            "Sous-activité et entretiens",
            lien("signalements_sous_activite").related_model,
            signalements,
            exclure={"assistant_maternel"},
            sous_tables=(
                SousTable(
                    "entretiens",
                    "Entretiens proposés",
                    lien("signalements_sous_activite").related_model._meta.get_field("entretiens").related_model,
                    lambda s: s.entretiens.order_by("propose_le", "pk"),
                    exclure=frozenset({"signalement", "propose_par"}),
                ),
            ),
        ),
        "labels_avip": section(
            "Label AVIP",
            lien("labels_avip").related_model,
            de_ses_fiches("labels_avip", ("date_debut", "pk")),
            exclure={"assistant_maternel", "accorde_par", "retire_par"},
        ),
    }


def export_formation(user: User) -> dict[str, dict]:
    souhaits = souhaits_for_user(user).select_related("theme", "commune").order_by("created_at", "pk")
    inscriptions = (
        inscriptions_for_user(user)
        .select_related("session__organisme", "session__commune")
        .order_by("inscrite_le", "pk")
    )
    modele_inscription = inscriptions.model
    lien = modele_inscription._meta.get_field
    return {
        "souhaits_formation": section(
            "Mes souhaits de formation", souhaits.model, souhaits, exclure={"assistant_maternel"}
        ),
        "inscriptions_formation": section(
            "Mes inscriptions en formation",
            modele_inscription,
            inscriptions,
            exclure={"assistant_maternel", "inscrite_par"},
            calcules=(
                Calcule("organisme", "organisme de formation", lambda i: str(i.session.organisme)),
                Calcule("lieu", "lieu", lambda i: f"{i.session.lieu}, {i.session.commune}"),
            ),
            sous_tables=(
                SousTable(
                    "historique",
                    "Historique",
                    lien("historique").related_model,
                    lambda i: i.historique.order_by("at", "pk"),
                    exclure=frozenset({"inscription", "auteur"}),
                ),
                # The parents' e-mails she gave stay out: they are the parents' data, not hers.
                SousTable(
                    "enfants_concernes",
                    "Enfants concernés par mon absence",
                    lien("enfants_concernes").related_model,
                    lambda i: i.enfants_concernes.select_related("accueil").order_by("accueil__prenom_enfant", "pk"),
                    exclure=frozenset({"inscription", "email_parent"}),
                ),
            ),
        ),
    }


def export_propositions_recues(user: User) -> dict[str, dict]:
    """Families the relais proposed to her: the need as she saw it, never the family's identity."""
    propositions = list_propositions_de_l_assmat(user).order_by("created_at", "pk")
    return {
        "propositions_recues": section(
            "Familles proposées par le relais",
            propositions.model,
            propositions,
            exclure={"demande", "assistant_maternel", "structure", "auteur"},
            calcules=(
                Calcule("relais", "relais", lambda p: str(p.demande.relais)),
                Calcule("commune", "commune de la famille", lambda p: str(p.demande.commune)),
                Calcule("debut_souhaite", "accueil souhaité à partir du", lambda p: p.demande.date_debut_souhaitee),
            ),
        )
    }


# --- Putting it together -------------------------------------------------------------------------------------------

PARTIES_PAR_ROLE: dict[str, tuple[Callable[[User], dict[str, dict]], ...]] = {
    Role.PARENT: (export_demandes, export_brouillon, export_accueils_alternatifs, export_conventions),
    Role.ASSMAT: (export_assmat, export_formation, export_propositions_recues, export_conventions),
}


def donnees_de(user: User) -> dict[str, Any]:
    """The whole export of one person. Staff accounts get their account and logins: the families' data they
    process is the relais', not theirs."""
    sections: dict[str, dict] = {}
    for partie in (export_compte, *PARTIES_PAR_ROLE.get(user.role, ()), export_emails, export_journal):
        sections |= partie(user)
    return {
        "portail": "Guichet RPE",
        "personne": user.email,
        "genere_le": timezone.now(),
        "sections": sections,
    }


# --- Formats -----------------------------------------------------------------------------------------------------


def _en_json(valeur: Any) -> Any:
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).isoformat(timespec="seconds")
    if isinstance(valeur, date | time):
        return valeur.isoformat()
    if isinstance(valeur, Decimal):
        return str(valeur)
    return str(valeur)


def en_json(donnees: dict[str, Any]) -> str:
    """UTF-8 JSON, dates in ISO 8601 (Paris time), amounts as strings (no float rounding)."""
    return json.dumps(donnees, default=_en_json, ensure_ascii=False, indent=2)


def texte_lisible(valeur: Any) -> str:
    """A value as a French reader expects it (for the PDF and the page)."""
    if valeur is None or valeur == "" or valeur == []:
        return "—"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, time):
        return valeur.strftime("%H:%M")
    if isinstance(valeur, Decimal):
        return str(valeur).replace(".", ",")
    if isinstance(valeur, list):
        return ", ".join(texte_lisible(v) for v in valeur)
    if isinstance(valeur, dict):
        return " ; ".join(f"{cle} : {texte_lisible(v)}" for cle, v in valeur.items())
    return str(valeur)


def pour_affichage(donnees: dict[str, Any]) -> list[dict[str, Any]]:
    """Sections for a template: each row as (label, text) pairs, each nested table as headers and rows."""
    resultat = []
    for cle, sec in donnees["sections"].items():
        lignes = []
        for ligne in sec["lignes"]:
            champs = [(libelle, texte_lisible(ligne[nom])) for nom, libelle in sec["libelles"].items()]
            tables = [
                {
                    "titre": st["titre"],
                    "entetes": list(st["libelles"].values()),
                    "lignes": [[texte_lisible(r[nom]) for nom in st["libelles"]] for r in ligne[cle_st]],
                }
                for cle_st, st in sec["sous_tables"].items()
            ]
            lignes.append({"champs": champs, "tables": tables})
        resultat.append({"cle": cle, "titre": sec["titre"], "explication": sec["explication"], "lignes": lignes})
    return resultat
