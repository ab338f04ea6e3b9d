"""Forms of the request: the family's steps (each validated alone, then all together) and the relais' actions."""

import re
from datetime import date, datetime, timedelta

from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.utils import timezone

from comptes.champs import CODE_POSTAL, ChiffresField, DateInput, EmailField, ListeLongue, TimeInput
from demandes.models import (
    STATUTS_FERMES,
    STATUTS_OUVERTS,
    Demande,
    Jour,
    Mode,
    MotifUrgence,
    Proposition,
    RendezVous,
    Situation,
    SolutionHorsProposition,
    Source,
    TrancheQf,
    creneau_lisible,
    duree_minutes,
    normaliser_prenom,
)
from demandes.selectors import CLOSES, TRANCHES_AGE, TRIS, URGENCES, FiltresFile
from demandes.services import CommuneHorsTerritoire, DonneesDemande, relais_de_la_commune
from relais.models import Commune
from relais.selectors import communes_desservies_du_code_postal

TELEPHONE = RegexValidator(
    r"^(?:(?:\+|00)33[\s.-]?|0)[1-9](?:[\s.-]?[0-9]{2}){4}$",
    "Indiquez un numéro de téléphone français à 10 chiffres, par exemple 06 12 34 56 78.",
)
NUMERO_CAF = RegexValidator(r"^[0-9]{7}$", "Le numéro d'allocataire CAF compte 7 chiffres.")
MAX_HEURES_SEMAINE = 65
# Beyond this a day is questioned: a full day at a childminder's is rarely longer (7:00 → 19:00).
MAX_HEURES_D_AFFILEE = 12


def _duree_lisible(minutes: int) -> str:
    heures, reste = divmod(minutes, 60)
    return f"{heures} h {reste:02d}" if reste else f"{heures} h"


def _dans_ans(jour: date, ans: int) -> date:
    try:
        return jour.replace(year=jour.year + ans)
    except ValueError:  # 29 February
        return jour.replace(year=jour.year + ans, day=28)


def _choix(choices, vide="— Choisir —"):
    return [("", vide), *choices]


class FamilleForm(forms.Form):
    titre = "Vous et votre commune"
    telephone = ChiffresField(
        label="Votre téléphone",
        max_length=20,
        validators=[TELEPHONE],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    code_postal = ChiffresField(
        label="Code postal",
        max_length=5,
        validators=[CODE_POSTAL],
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    commune = forms.CharField(
        label="Commune de résidence",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    # Another person's identity: the browser must not offer the parent's own name or address here.
    second_responsable_prenom = forms.CharField(
        label="Prénom du second parent",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    second_responsable_nom = forms.CharField(
        label="Nom du second parent",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    second_responsable_email = EmailField(
        label="E-mail du second parent",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
        help_text="En cas de résidence alternée ou de parents séparés : il ou elle recevra un lien pour suivre "
        "la demande avec son propre compte.",
    )

    def __init__(self, *args, parent=None, **kwargs):
        self.parent = parent
        super().__init__(*args, **kwargs)
        # « le code postal 75011 » or « la commune de X » when no relais of the portal serves the family: the page
        # then tells where to turn (relais/_hors_territoire.html).
        self.hors_territoire = ""

    def clean_telephone(self):
        return self.cleaned_data["telephone"].strip()

    def clean_second_responsable_email(self):
        email = self.cleaned_data["second_responsable_email"].strip().lower()
        if email and self.parent is not None and email == self.parent.email.lower():
            raise forms.ValidationError("Indiquez l'adresse du second parent, pas la vôtre.")
        return email

    def clean(self):
        donnees = super().clean()
        if donnees.get("second_responsable_email") and not donnees.get("second_responsable_nom", "").strip():
            self.add_error("second_responsable_nom", "Indiquez le nom du second parent que vous invitez.")
        code_postal, nom = donnees.get("code_postal"), donnees.get("commune", "").strip()
        if code_postal and not communes_desservies_du_code_postal(code_postal).exists():
            self.hors_territoire = f"le code postal {code_postal}"
            self.add_error(
                "code_postal",
                f"Aucun relais de ce portail ne dessert le code postal {code_postal} : la demande ne peut pas être "
                "déposée ici.",
            )
            return donnees
        if not code_postal or not nom:
            return donnees
        candidates = list(Commune.objects.filter(codes_postaux__contains=[code_postal]).order_by("nom", "pk"))
        if not candidates:
            self.add_error("code_postal", "Aucune commune ne correspond à ce code postal.")
            return donnees
        commune = next((c for c in candidates if normaliser_prenom(c.nom) == normaliser_prenom(nom)), None)
        if commune is None:
            noms = ", ".join(c.nom for c in candidates[:10])
            self.add_error("commune", f"Cette commune ne correspond pas au code postal {code_postal} ({noms}).")
            return donnees
        try:
            relais_de_la_commune(commune.pk)
        except CommuneHorsTerritoire as exc:
            self.hors_territoire = f"la commune de {commune.nom}"
            self.add_error("commune", str(exc))
            return donnees
        donnees["commune_id"] = commune.pk
        return donnees


def age_limite(enfant: dict) -> int:
    """Under 6, or under 11 for school-age (périscolaire) care, which a childminder's agrément covers."""
    return 11 if enfant.get("periscolaire") else 6


def message_age_limite(enfant: dict) -> str:
    if enfant.get("periscolaire"):
        return "L'accueil périscolaire concerne les enfants de moins de 11 ans."
    return (
        "Le guichet concerne l'accueil des enfants de moins de 6 ans "
        "(cochez « accueil périscolaire » s'il va à l'école)."
    )


class EnfantForm(forms.Form):
    titre = "L'enfant"
    enfant_prenom = forms.CharField(
        label="Prénom de l'enfant",
        max_length=100,
        help_text="Ou « Bébé » s'il n'est pas né.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    enfant_a_naitre = forms.BooleanField(label="L'enfant n'est pas encore né", required=False)
    enfant_date = forms.DateField(
        label="Date de naissance (ou date prévue de l'accouchement)",
        widget=DateInput(),
        error_messages={"invalid": "Indiquez une date valide, par exemple 14/03/2026."},
    )
    premier_enfant = forms.BooleanField(label="C'est le premier enfant du foyer", required=False)
    periscolaire = forms.BooleanField(
        label="Accueil périscolaire : l'enfant va à l'école (avant et après la classe, mercredis, vacances)",
        required=False,
    )
    handicap = forms.BooleanField(label="L'enfant est en situation de handicap", required=False)

    def clean_enfant_prenom(self):
        prenom = " ".join(self.cleaned_data["enfant_prenom"].split())
        if not normaliser_prenom(prenom) or not re.search(r"[^\W\d_]", prenom):
            raise forms.ValidationError("Le prénom doit contenir au moins une lettre.")
        return prenom

    def clean(self):
        donnees = super().clean()
        jour, a_naitre = donnees.get("enfant_date"), donnees.get("enfant_a_naitre")
        if jour is None:
            return donnees
        aujourd_hui = timezone.localdate()
        if a_naitre and jour < aujourd_hui:
            self.add_error(
                "enfant_date",
                "La date est passée : l'enfant est-il né ? Décochez « pas encore né » et indiquez sa date de "
                "naissance.",
            )
        elif a_naitre and jour > aujourd_hui + timedelta(days=280):
            self.add_error("enfant_date", "La date prévue de l'accouchement doit être dans les 9 prochains mois.")
        elif not a_naitre and jour > aujourd_hui:
            self.add_error(
                "enfant_date", "La date de naissance ne peut pas être dans le futur : cochez « pas encore né »."
            )
        elif not a_naitre and jour <= _dans_ans(aujourd_hui, -age_limite(donnees)):
            self.add_error("enfant_date", message_age_limite(donnees))
        return donnees


class BesoinForm(forms.Form):
    titre = "Le besoin d'accueil"
    date_debut_souhaitee = forms.DateField(
        label="Date de début souhaitée",
        widget=DateInput(),
        error_messages={"invalid": "Indiquez une date valide, par exemple 01/09/2026."},
    )
    mode_1 = forms.ChoiceField(label="Mode d'accueil souhaité en premier", choices=_choix(Mode.choices))
    mode_2 = forms.ChoiceField(label="En deuxième choix", choices=_choix(Mode.choices, "— Aucun —"), required=False)
    mode_3 = forms.ChoiceField(label="En troisième choix", choices=_choix(Mode.choices, "— Aucun —"), required=False)

    def __init__(self, *args, enfant=None, **kwargs):
        self.enfant = enfant or {}
        super().__init__(*args, **kwargs)
        for jour in Jour:
            for borne, libelle in (("debut", "arrivée"), ("fin", "départ")):
                self.fields[f"jour_{jour.value}_{borne}"] = forms.TimeField(
                    label=f"{jour.label} : {libelle}",
                    required=False,
                    help_text="Plus tôt que l'arrivée : le lendemain." if borne == "fin" else "",
                    widget=TimeInput(),
                    error_messages={"invalid": "Indiquez une heure valide, par exemple 08:30."},
                )
        # After the grid, so that it reads after the hours it confirms.
        self.fields["longues_journees_confirmees"] = forms.BooleanField(
            label="Je confirme ces longues journées (plus de 12 heures d'affilée, ou 24 heures)",
            required=False,
        )

    def jours(self):
        """(day label, arrival field, departure field) for the template's schedule grid."""
        return [(jour.label, self[f"jour_{jour.value}_debut"], self[f"jour_{jour.value}_fin"]) for jour in Jour]

    def clean(self):
        donnees = super().clean()
        creneaux, minutes, longues = [], 0, []
        for jour in Jour:
            debut, fin = donnees.get(f"jour_{jour.value}_debut"), donnees.get(f"jour_{jour.value}_fin")
            if debut is None and fin is None:
                continue
            if debut is None or fin is None:
                champ = f"jour_{jour.value}_{'debut' if debut is None else 'fin'}"
                if champ not in self.errors:
                    self.add_error(champ, f"{jour.label} : indiquez l'heure d'arrivée et l'heure de départ.")
                continue
            creneau = {"jour": jour.value, "debut": f"{debut:%H:%M}", "fin": f"{fin:%H:%M}"}
            duree = duree_minutes(creneau)
            if duree > MAX_HEURES_D_AFFILEE * 60:
                longues.append((jour, duree))
            minutes += duree
            creneaux.append(creneau)
        if longues and not donnees.get("longues_journees_confirmees"):
            # A typo (08:00 → 08:00, or 20:00 for 08:00 pm) looks like a long stay: asked, never assumed.
            for jour, duree in longues:
                self.add_error(
                    f"jour_{jour.value}_fin",
                    f"{jour.label} : {_duree_lisible(duree)} d'accueil d'affilée"
                    + (" (l'arrivée et le départ sont à la même heure)" if duree == 24 * 60 else "")
                    + ". Si c'est bien votre besoin, cochez « Je confirme ces longues journées » ; sinon corrigez "
                    "l'heure de départ.",
                )
            self.add_error(
                "longues_journees_confirmees", "Confirmez les journées de plus de 12 heures, ou corrigez-les."
            )
        if not creneaux and not any(k.startswith("jour_") for k in self.errors):
            self.add_error(None, "Indiquez au moins un jour d'accueil avec ses horaires.")
        if minutes > MAX_HEURES_SEMAINE * 60:
            self.add_error(
                None, f"Le planning dépasse {MAX_HEURES_SEMAINE} heures par semaine : vérifiez les horaires."
            )
        donnees["creneaux"] = creneaux

        modes = [donnees.get(f"mode_{rang}") for rang in (1, 2, 3) if donnees.get(f"mode_{rang}")]
        if len(set(modes)) != len(modes):
            self.add_error("mode_2", "Chaque mode d'accueil ne peut être choisi qu'une fois.")
        if Mode.INDIFFERENT in modes and len(modes) > 1:
            self.add_error("mode_2", "« Pas de préférence » ne se combine pas avec d'autres choix.")
        donnees["modes"] = modes

        debut = donnees.get("date_debut_souhaitee")
        naissance = self.enfant.get("enfant_date")
        if debut is not None:
            aujourd_hui = timezone.localdate()
            if debut < aujourd_hui:
                self.add_error("date_debut_souhaitee", "La date de début ne peut pas être passée.")
            elif debut > _dans_ans(aujourd_hui, 2):
                self.add_error("date_debut_souhaitee", "La date de début doit être dans les 24 prochains mois.")
            elif naissance and debut < naissance:
                self.add_error(
                    "date_debut_souhaitee", "La date de début ne peut pas précéder la naissance (ou la date prévue)."
                )
            elif naissance and _dans_ans(naissance, age_limite(self.enfant)) <= debut:
                self.add_error(
                    "date_debut_souhaitee", f"L'enfant aura {age_limite(self.enfant)} ans ou plus à cette date."
                )
        return donnees


class SituationForm(forms.Form):
    titre = "Votre situation"
    parent_isole = forms.BooleanField(label="Je suis seul·e à élever l'enfant (parent isolé)", required=False)
    situation_parent1 = forms.ChoiceField(label="Votre situation", choices=_choix(Situation.choices))
    situation_parent2 = forms.ChoiceField(
        label="Situation de l'autre parent", choices=_choix(Situation.choices, "— Sans objet —"), required=False
    )
    rsa = forms.BooleanField(label="Le foyer perçoit le RSA", required=False)
    quotient_familial = forms.IntegerField(
        label="Quotient familial CAF (€)",
        required=False,
        min_value=0,
        max_value=10_000,
        help_text="Il figure sur vos attestations CAF. Sinon, indiquez la tranche ci-dessous.",
        error_messages={"invalid": "Indiquez un nombre entier d'euros, par exemple 650."},
    )
    tranche_qf = forms.ChoiceField(
        label="Tranche de quotient familial", choices=_choix(TrancheQf.choices, "— Je ne sais pas —"), required=False
    )
    numero_caf = ChiffresField(
        label="Numéro d'allocataire CAF (facultatif)",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    urgence = forms.BooleanField(
        label="J'ai besoin d'une solution sous 24 heures (entretien d'embauche, formation, reprise d'emploi)",
        required=False,
    )
    urgence_motif = forms.ChoiceField(label="Motif de l'urgence", choices=_choix(MotifUrgence.choices), required=False)
    commentaire = forms.CharField(
        label="Commentaire", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, famille=None, **kwargs):
        # The first step's answers, for the checks across steps (a second parent invited there).
        self.famille = famille or {}
        super().__init__(*args, **kwargs)

    def clean_numero_caf(self):
        numero = re.sub(r"\s", "", self.cleaned_data["numero_caf"])
        if numero:
            NUMERO_CAF(numero)
        return numero

    def clean(self):
        donnees = super().clean()
        if donnees.get("parent_isole") and donnees.get("situation_parent2"):
            self.add_error("situation_parent2", "Un parent isolé n'indique pas la situation d'un autre parent.")
        if donnees.get("parent_isole") and self.famille.get("second_responsable_email"):
            self.add_error(
                "parent_isole",
                "Vous indiquez être seul·e à élever l'enfant (famille monoparentale) et vous invitez un second parent "
                f"({self.famille['second_responsable_email']}) : décochez cette case, ou retirez le second parent à "
                "l'étape « Vous et votre commune ».",
            )
        if donnees.get("urgence") and not donnees.get("urgence_motif"):
            self.add_error("urgence_motif", "Indiquez le motif de l'urgence.")
        if donnees.get("urgence_motif") and not donnees.get("urgence"):
            self.add_error(
                "urgence_motif",
                "Vous indiquez un motif d'urgence sans cocher « J'ai besoin d'une solution sous 24 heures » : cochez "
                "la case, ou choisissez « — Choisir — » pour retirer le motif.",
            )
        qf, tranche = donnees.get("quotient_familial"), donnees.get("tranche_qf")
        if qf is not None and tranche and tranche != tranche_du_quotient(qf):
            self.add_error(
                "tranche_qf",
                f"Un quotient familial de {qf} € est dans la tranche « {TrancheQf(tranche_du_quotient(qf)).label} », "
                f"pas « {TrancheQf(tranche).label} » : corrigez l'un des deux, ou laissez la tranche sur « Je ne "
                "sais pas ».",
            )
        if "commentaire" in donnees:
            donnees["commentaire"] = donnees["commentaire"].replace("\x00", "").strip()
        return donnees


def tranche_du_quotient(quotient_familial: int) -> str:
    if quotient_familial < 700:
        return TrancheQf.MOINS_700
    if quotient_familial <= 1200:
        return TrancheQf.DE_700_A_1200
    return TrancheQf.PLUS_1200


class EnvoiForm(forms.Form):
    titre = "Vérification et envoi"
    consentement = forms.BooleanField(
        label="J'accepte que le relais traite ces informations pour répondre à ma demande d'accueil",
        error_messages={"required": "Votre accord est nécessaire pour que le relais traite votre demande."},
    )
    jeton = forms.UUIDField(widget=forms.HiddenInput)


ETAPES = {"famille": FamilleForm, "enfant": EnfantForm, "besoin": BesoinForm, "situation": SituationForm}
ORDRE = [*ETAPES, "envoi"]


def formulaire_d_etape(etape: str, *, brutes: dict, data=None, parent=None, initial=None, prefix=None):
    """The step's form; `brutes` holds what earlier steps stored, for the checks across steps."""
    kwargs = {"initial": initial, "prefix": prefix}
    if etape == "famille":
        kwargs["parent"] = parent
    if etape == "besoin":
        enfant = EnfantForm(data=brutes.get("enfant") or {})
        kwargs["enfant"] = enfant.cleaned_data if enfant.is_valid() else {}
    if etape == "situation":
        kwargs["famille"] = brutes.get("famille") or {}
    return ETAPES[etape](data=data, **kwargs)


def donnees_brutes(form: forms.Form, data) -> dict:
    """What a valid step stores in the draft: the raw submitted values, re-validated at the end.

    A ticked box is stored as the browser sends it ("on"): a forged value is just as true for the form but may
    hold a NUL, which PostgreSQL's jsonb refuses.
    """
    brutes = {}
    for nom, champ in form.fields.items():
        valeur = data.get(nom)
        if isinstance(champ, forms.BooleanField):
            valeur = "on" if form.cleaned_data.get(nom) else None
        elif isinstance(champ, ChiffresField):
            # Digits typed full-width come back ASCII on the page the family returns to.
            valeur = form.cleaned_data.get(nom)
        if valeur not in (None, ""):
            brutes[nom] = valeur
    return brutes


def valider_brouillon(brutes: dict, parent) -> tuple[DonneesDemande | None, str | None]:
    """Validates every step again; returns the data, or the first step with an error."""
    propres = {}
    for etape in ETAPES:
        form = formulaire_d_etape(etape, brutes=brutes, data=brutes.get(etape) or {}, parent=parent)
        if etape not in brutes or not form.is_valid():
            return None, etape
        propres[etape] = form.cleaned_data
    f, e, b, s = (propres[etape] for etape in ETAPES)
    return (
        DonneesDemande(
            telephone=f["telephone"],
            code_postal=f["code_postal"],
            commune_id=f["commune_id"],
            second_responsable_prenom=f["second_responsable_prenom"].strip(),
            second_responsable_nom=f["second_responsable_nom"].strip(),
            second_responsable_email=f["second_responsable_email"],
            enfant_prenom=e["enfant_prenom"],
            enfant_a_naitre=e["enfant_a_naitre"],
            enfant_date=e["enfant_date"],
            premier_enfant=e["premier_enfant"],
            periscolaire=e["periscolaire"],
            handicap=e["handicap"],
            date_debut_souhaitee=b["date_debut_souhaitee"],
            creneaux=b["creneaux"],
            modes=b["modes"],
            parent_isole=s["parent_isole"],
            situation_parent1=s["situation_parent1"],
            situation_parent2=s["situation_parent2"],
            rsa=s["rsa"],
            quotient_familial=s["quotient_familial"],
            tranche_qf=s["tranche_qf"],
            numero_caf=s["numero_caf"],
            urgence=s["urgence"],
            urgence_motif=s["urgence_motif"],
            commentaire=s["commentaire"],
        ),
        None,
    )


def brutes_de_la_demande(demande: Demande) -> dict:
    """The draft that modifies an existing request starts from its current values."""

    def oui(valeur):
        return "on" if valeur else None

    besoin = {"date_debut_souhaitee": demande.date_debut_souhaitee.isoformat()}
    for rang, mode in enumerate(demande.modes, start=1):
        besoin[f"mode_{rang}"] = mode
    for creneau in demande.creneaux:
        besoin[f"jour_{creneau['jour']}_debut"], besoin[f"jour_{creneau['jour']}_fin"] = (
            creneau["debut"],
            creneau["fin"],
        )
    brutes = {
        "famille": {
            "telephone": demande.telephone,
            "code_postal": demande.code_postal,
            "commune": demande.commune.nom,
            "second_responsable_prenom": demande.second_responsable_prenom,
            "second_responsable_nom": demande.second_responsable_nom,
            "second_responsable_email": demande.second_responsable_email,
        },
        "enfant": {
            "enfant_prenom": demande.enfant_prenom,
            "enfant_a_naitre": oui(demande.enfant_a_naitre),
            "enfant_date": demande.enfant_date.isoformat(),
            "premier_enfant": oui(demande.premier_enfant),
            "periscolaire": oui(demande.periscolaire),
            "handicap": oui(demande.handicap),
        },
        "besoin": besoin,
        "situation": {
            "parent_isole": oui(demande.parent_isole),
            "situation_parent1": demande.situation_parent1,
            "situation_parent2": demande.situation_parent2,
            "rsa": oui(demande.rsa),
            "quotient_familial": "" if demande.quotient_familial is None else str(demande.quotient_familial),
            "tranche_qf": demande.tranche_qf,
            "numero_caf": demande.numero_caf,
            "urgence": oui(demande.urgence),
            "urgence_motif": demande.urgence_motif,
            "commentaire": demande.commentaire,
        },
    }
    return {etape: {k: v for k, v in valeurs.items() if v not in (None, "")} for etape, valeurs in brutes.items()}


SECOND_PARENT = ("second_responsable_prenom", "second_responsable_nom", "second_responsable_email")


def brutes_de_la_reprise(demande: Demande, saisies: dict) -> dict:
    """Filing again for a child whose request is open: the request's answers, under what the family has just typed
    (its first two steps). The second parent invited on the request stays, unless the family names another: it
    removes him on the first step, where he is now shown."""
    brutes = brutes_de_la_demande(demande)
    for etape in ("famille", "enfant"):
        if etape in saisies:
            nouvelles = dict(saisies[etape])
            if etape == "famille" and not nouvelles.get("second_responsable_email"):
                nouvelles |= {cle: brutes["famille"][cle] for cle in SECOND_PARENT if cle in brutes["famille"]}
            brutes[etape] = nouvelles
    return brutes


# --- The family's other forms and the relais' actions -----------------------------------------------------------


# What the relais writes in these fields is shown to the family (history of its request, e-mail): said beside
# each of them, so that no animatrice types there what belongs in a private note.
VISIBLE_PAR_LA_FAMILLE = "Visible par la famille dans le suivi de sa demande."
ENVOYE_A_LA_FAMILLE = "Visible par la famille : envoyé par e-mail et affiché dans le suivi de sa demande."


class MotifForm(forms.Form):
    motif = forms.CharField(label="Motif", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, visible_par_la_famille=False, **kwargs):
        super().__init__(*args, **kwargs)
        if visible_par_la_famille:
            self.fields["motif"].help_text = ENVOYE_A_LA_FAMILLE

    def clean_motif(self):
        motif = self.cleaned_data["motif"].replace("\x00", "").strip()
        if not motif:
            raise forms.ValidationError("Indiquez un motif.")
        return motif


class RendezVousForm(forms.Form):
    date = forms.DateField(label="Date", widget=DateInput())
    heure = forms.TimeField(label="Heure", widget=TimeInput())
    duree_minutes = forms.IntegerField(label="Durée (minutes)", min_value=10, max_value=240, initial=45)
    modalite = forms.ChoiceField(label="Modalité", choices=RendezVous.Modalite.choices)
    lieu = forms.CharField(label="Lieu (si sur place)", max_length=250, required=False)

    def clean(self):
        donnees = super().clean()
        if donnees.get("modalite") == RendezVous.Modalite.SUR_PLACE and not donnees.get("lieu", "").strip():
            self.add_error("lieu", "Indiquez le lieu du rendez-vous.")
        if donnees.get("date") and donnees.get("heure"):
            debut = timezone.make_aware(datetime.combine(donnees["date"], donnees["heure"]))
            if debut < timezone.now():
                self.add_error("date", "Le rendez-vous doit être dans le futur.")
            donnees["debut"] = debut
        return donnees


class IssueRendezVousForm(forms.Form):
    """Once the appointment's time has passed: held, or the family did not come."""

    issue = forms.ChoiceField(
        label="Issue du rendez-vous",
        choices=[
            (RendezVous.Statut.REALISE, "Le rendez-vous a eu lieu"),
            (RendezVous.Statut.FAMILLE_ABSENTE, "La famille n'est pas venue (ou n'a pas répondu à l'appel)"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note (facultative)", required=False, max_length=1000, help_text=VISIBLE_PAR_LA_FAMILLE
    )


class DeplacementSouhaiteForm(forms.Form):
    message = forms.CharField(
        label="Votre message au relais",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Par exemple les jours et heures où vous êtes disponible.",
    )

    def clean_message(self):
        message = self.cleaned_data["message"].replace("\x00", "").strip()
        if not message:
            raise forms.ValidationError("Indiquez au relais quand vous seriez disponible.")
        return message


class SolutionForm(forms.Form):
    """Where the solution comes from: one of the request's proposals (the one the childminder accepted, by
    default), or the reason why none."""

    proposition_id = forms.TypedChoiceField(label="Proposition retenue", coerce=int, empty_value=None, required=False)
    hors_proposition = forms.ChoiceField(
        label="Sinon, d'où vient la solution",
        choices=_choix(SolutionHorsProposition.choices),
        required=False,
    )
    mode = forms.ChoiceField(
        label="Mode d'accueil",
        choices=_choix([c for c in Mode.choices if c[0] != Mode.INDIFFERENT], "— Celui de la proposition retenue —"),
        required=False,
    )
    description = forms.CharField(
        label="Description",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Facultative quand une proposition est retenue (sa description est reprise). " + ENVOYE_A_LA_FAMILLE,
    )

    def __init__(self, *args, propositions=(), **kwargs):
        super().__init__(*args, **kwargs)
        propositions = list(propositions)
        self.fields["proposition_id"].choices = [
            ("", "— Aucune : la solution vient d'ailleurs —"),
            *((p.pk, f"{p.created_at:%d/%m/%Y} – {p.get_mode_display()} : {p.description}") for p in propositions),
        ]
        acceptees = [p for p in propositions if p.reponse_assmat == Proposition.Reponse.ACCEPTE]
        if acceptees and not self.is_bound:
            self.initial.setdefault("proposition_id", max(acceptees, key=lambda p: (p.repondu_le, p.pk)).pk)

    def clean(self):
        donnees = super().clean()
        proposition, ailleurs = donnees.get("proposition_id"), donnees.get("hors_proposition")
        if proposition and ailleurs:
            self.add_error("hors_proposition", "Une proposition est retenue : laissez ce choix vide.")
        elif not proposition and not ailleurs and "proposition_id" not in self.errors:
            self.add_error("hors_proposition", "Aucune proposition n'est retenue : dites d'où vient la solution.")
        if not proposition:
            if not donnees.get("mode"):
                self.add_error("mode", "Choisissez le mode d'accueil obtenu.")
            if not donnees.get("description", "").strip():
                self.add_error("description", "Décrivez la solution obtenue.")
        return donnees


class PropositionForm(forms.Form):
    mode = forms.ChoiceField(label="Mode d'accueil", choices=[c for c in Mode.choices if c[0] != Mode.INDIFFERENT])
    description = forms.CharField(
        label="Description",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Qui, où, à partir de quand (la mise en relation avec les assistants maternels viendra ensuite). "
        + ENVOYE_A_LA_FAMILLE,
    )


class NotePriveeForm(forms.Form):
    texte = forms.CharField(
        label="Note privée (visible du relais seulement)", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FiltresFileForm(forms.Form):
    # Its selects are written in Python (ListeLongue): the queue is the staff's hottest page.
    q = forms.CharField(label="Nom, prénom ou référence", required=False, max_length=100)
    relais = forms.TypedChoiceField(label="Relais", required=False, coerce=int, empty_value=None, widget=ListeLongue)
    statut = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[
            ("", "Toutes les demandes ouvertes"),
            ("Ouvertes", [(s.value, s.label) for s in STATUTS_OUVERTS]),
            (CLOSES, "Toutes les demandes closes"),
            ("Closes", [(s.value, s.label) for s in STATUTS_FERMES]),
        ],
        widget=ListeLongue,
    )
    mes_demandes = forms.BooleanField(label="Suivies par moi", required=False)
    tri = forms.ChoiceField(label="Trier par", required=False, choices=list(TRIS.items()), widget=ListeLongue)
    commune = forms.TypedChoiceField(label="Commune", required=False, coerce=int, empty_value=None, widget=ListeLongue)
    mode = forms.ChoiceField(
        label="Mode souhaité", required=False, choices=_choix(Mode.choices, "Tous"), widget=ListeLongue
    )
    age = forms.ChoiceField(
        label="Âge de l'enfant", required=False, choices=_choix(TRANCHES_AGE.items(), "Tous"), widget=ListeLongue
    )
    mois_debut = forms.DateField(
        label="Mois de début",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    urgence = forms.ChoiceField(
        label="Urgence", required=False, choices=_choix(URGENCES.items(), "Toutes"), widget=ListeLongue
    )

    def __init__(self, *args, relais=(), communes=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["relais"].choices = [("", "Tous mes relais"), *((r.pk, r.nom) for r in relais)]
        self.fields["commune"].choices = [("", "Toutes"), *((c.pk, c.nom) for c in communes)]

    def filtres(self) -> FiltresFile:
        if not self.is_valid():
            return FiltresFile()
        d = self.cleaned_data
        return FiltresFile(
            statut=d["statut"],
            commune=d["commune"],
            mode=d["mode"],
            age=d["age"],
            mois_debut=d["mois_debut"],
            urgence=d["urgence"],
            recherche=d["q"],
            relais=d["relais"],
            prise_par=self.user.pk if d["mes_demandes"] and self.user else None,
            tri=d["tri"] or "score",
        )


class FamilleSansCompteForm(forms.Form):
    """Who the family is, for a request the relais types: the account it will claim with its e-mail."""

    titre = "La famille"
    source = forms.ChoiceField(
        label="Demande reçue",
        choices=[(Source.TELEPHONE, "Par téléphone"), (Source.ACCUEIL, "À l'accueil du relais")],
        widget=forms.RadioSelect,
    )
    # Typed by the animatrice for a family: her browser must not fill in her own identity.
    prenom = forms.CharField(
        label="Prénom du parent", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    nom = forms.CharField(label="Nom du parent", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = EmailField(
        label="E-mail du parent",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
        help_text="La famille reçoit la confirmation à cette adresse ; elle suivra sa demande en ligne en créant son "
        "mot de passe avec cette adresse (« Mot de passe oublié »).",
    )
    information = forms.BooleanField(
        label="J'ai lu à la famille l'information sur le traitement de ses données, et elle l'accepte",
        error_messages={"required": "Informez la famille du traitement de ses données avant d'enregistrer."},
    )


def saisie_du_relais(data=None) -> tuple[dict[str, forms.Form], dict]:
    """The family's four steps on one page, each with its prefix, after who the family is: the same forms, so the
    same rules, as online. Returns the forms and, for the valid steps, what an online step would have stored."""
    formulaires = {"qui": FamilleSansCompteForm(data=data, prefix="qui")}
    brutes: dict = {}
    for etape in ETAPES:
        form = formulaire_d_etape(etape, brutes=brutes, data=data, prefix=etape)
        if data is not None and form.is_valid():
            brutes[etape] = donnees_brutes(form, _sans_prefixe(data, etape))
        formulaires[etape] = form
    return formulaires, brutes


def _sans_prefixe(data, etape: str) -> QueryDict:
    nues = QueryDict(mutable=True)
    for cle in data:
        if cle.startswith(f"{etape}-"):
            nues.setlist(cle.removeprefix(f"{etape}-"), data.getlist(cle))
    return nues


def recapitulatif(donnees: DonneesDemande) -> list[tuple[str, str]]:
    """What the family checks before sending, in plain French."""
    commune = Commune.objects.filter(pk=donnees.commune_id).first()

    def oui_non(valeur):
        return "Oui" if valeur else "Non"

    lignes = [
        ("Téléphone", donnees.telephone),
        ("Commune", f"{commune.nom if commune else ''} ({donnees.code_postal})"),
        ("Enfant", donnees.enfant_prenom + (" (à naître)" if donnees.enfant_a_naitre else "")),
        ("Naissance (ou date prévue)", f"{donnees.enfant_date:%d/%m/%Y}"),
        ("Premier enfant", oui_non(donnees.premier_enfant)),
        ("Accueil périscolaire", oui_non(donnees.periscolaire)),
        ("Situation de handicap", oui_non(donnees.handicap)),
        ("Début souhaité", f"{donnees.date_debut_souhaitee:%d/%m/%Y}"),
        ("Planning", ", ".join(creneau_lisible(c) for c in donnees.creneaux)),
        ("Modes souhaités", " puis ".join(Mode(m).label for m in donnees.modes)),
        ("Parent isolé", oui_non(donnees.parent_isole)),
        ("Votre situation", Situation(donnees.situation_parent1).label),
        ("RSA", oui_non(donnees.rsa)),
        ("Besoin urgent", MotifUrgence(donnees.urgence_motif).label if donnees.urgence else "Non"),
    ]
    if donnees.second_responsable_email:
        lignes.insert(
            1,
            (
                "Second parent",
                f"{donnees.second_responsable_prenom} {donnees.second_responsable_nom} "
                f"({donnees.second_responsable_email})",
            ),
        )
    if donnees.situation_parent2:
        lignes.append(("Situation de l'autre parent", Situation(donnees.situation_parent2).label))
    if donnees.quotient_familial is not None:
        lignes.append(("Quotient familial", f"{donnees.quotient_familial} €"))
    elif donnees.tranche_qf:
        lignes.append(("Quotient familial", TrancheQf(donnees.tranche_qf).label))
    if donnees.numero_caf:
        lignes.append(("Numéro CAF", donnees.numero_caf))
    if donnees.commentaire:
        lignes.append(("Commentaire", donnees.commentaire))
    return lignes


class PropositionOffreForm(forms.Form):
    """What the matching screen posts: one childminder or one structure."""

    assistant_maternel_id = forms.IntegerField(required=False, min_value=1)
    structure_id = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if bool(data.get("assistant_maternel_id")) == bool(data.get("structure_id")):
            raise forms.ValidationError("Choisissez une seule offre.")
        return data


class AnneeForm(forms.Form):
    annee = forms.IntegerField(label="Année", min_value=2015, max_value=2100)
