import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms

from comptes.champs import EmailField, ListeLongue
from comptes.saisie import SaisieDAutrui
from tiers_payant import services
from tiers_payant.cmg import (
    Famille,
    Garde,
    ParametresIndisponibles,
    ResultatCmg,
    ResultatPsu,
    calculer_cmg,
    calculer_psu,
    officiels,
)
from tiers_payant.cmg.baremes import Valeur, mois_en_clair

# The simulator's lower bound is the first month for which every scale it uses is known.
FAMILLES_DU_SIMULATEUR = ("regimes", "bmaf", "taux_effort", "ressources_plancher", "ressources_plafond")
AGE_MAXIMAL = 18


class MontantField(forms.DecimalField):
    """A decimal typed the French way: "4,85", "1 500", "606,25 €" are all accepted."""

    def __init__(self, *, maximum, message_maximum, minimum=Decimal(0), message_minimum=None, **kwargs):
        super().__init__(
            min_value=minimum,
            max_value=maximum,
            decimal_places=2,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={
                "invalid": "Saisissez un nombre, par exemple 125 ou 4,85.",
                "max_value": message_maximum,
                "min_value": message_minimum or "Saisissez un nombre positif ou nul.",
                "max_decimal_places": "Saisissez au plus deux chiffres après la virgule.",
                "required": "Ce champ est obligatoire.",
            },
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f€]", "", value).replace(",", ".")
        return super().to_python(value)


class MoisField(forms.Field):
    """A month typed as AAAA-MM (what `<input type="month">` sends) or MM/AAAA."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"})
    default_error_messages = {"required": "Ce champ est obligatoire."}

    def to_python(self, value):
        texte = str(value).strip() if value is not None else ""
        if not texte:
            return None
        if correspondance := re.fullmatch(r"(\d{4})-(\d{2})", texte):
            annee, mois = correspondance.groups()
        elif correspondance := re.fullmatch(r"(\d{2})/(\d{4})", texte):
            mois, annee = correspondance.groups()
        else:
            raise forms.ValidationError("Saisissez un mois au format AAAA-MM, par exemple 2025-09.")
        if not 1 <= int(mois) <= 12 or int(annee) < 1:
            raise forms.ValidationError("Ce mois n'existe pas : saisissez-le au format AAAA-MM, par exemple 2025-09.")
        return date(int(annee), int(mois), 1)

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, date) else value


class _OptionsDAssmats(forms.models.ModelChoiceIterator):
    """The territory's childminders as tuples from one query: hundreds of model instances (childminder, agrément,
    commune) built for one label each made the convention form's slowest requests (garbage collection)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        lignes = self.queryset.values_list("pk", "prenom", "nom", "commune__nom", "agrement__numero")
        for pk, prenom, nom, commune, numero in lignes:
            yield (pk, f"{prenom} {nom} – {commune}" + (f" (agrément {numero})" if numero is not None else ""))


class ChoixDAssmat(forms.ModelChoiceField):
    iterator = _OptionsDAssmats
    widget = ListeLongue


@dataclass(frozen=True)
class Simulation:
    cmg: ResultatCmg
    psu: ResultatPsu

    @property
    def reste_horaire(self) -> Decimal:
        return self.cmg.reste_a_charge / self.cmg.heures

    @property
    def ecart(self) -> Decimal:
        """What the crèche would cost more (positive) or less (negative) than the childminder."""
        return self.psu.montant_mensuel - self.cmg.reste_a_charge

    @property
    def age_en_clair(self) -> str:
        age = self.cmg.age_enfant
        return "moins d'un an" if age == 0 else f"{age} an{'s' if age > 1 else ''}"

    @property
    def ecart_absolu(self) -> Decimal:
        return abs(self.ecart)

    @property
    def sources(self) -> list[Valeur]:
        """Every parameter value used, once (the CMG and the crèche share the effort rates and bounds)."""
        uniques = {(valeur.famille, valeur.debut): valeur for valeur in self.cmg.sources + self.psu.sources}
        return list(uniques.values())


class SimulateurForm(forms.Form):
    ressources = MontantField(
        label="Ressources mensuelles du foyer (€)",
        help_text="Revenus imposables de l'avant-dernière année (avant abattements) divisés par 12.",
        maximum=Decimal(1_000_000),
        message_maximum="Indiquez des ressources mensuelles d'au plus 1 000 000 €.",
    )
    enfants = forms.IntegerField(
        label="Nombre d'enfants à charge",
        help_text="Y compris l'enfant accueilli.",
        min_value=1,
        max_value=20,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Saisissez un nombre entier d'enfants, par exemple 2.",
            "min_value": "Comptez au moins l'enfant accueilli : 1 enfant ou plus.",
            "max_value": "Indiquez au plus 20 enfants à charge.",
            "required": "Ce champ est obligatoire.",
        },
    )
    parent_isole = forms.BooleanField(label="Vous élevez seul votre ou vos enfants (parent isolé)", required=False)
    aeeh = forms.BooleanField(
        label="Un enfant du foyer perçoit l'AEEH (allocation d'éducation de l'enfant handicapé)", required=False
    )
    aah = forms.BooleanField(label="Un parent perçoit l'AAH (allocation aux adultes handicapés)", required=False)
    mois = MoisField(label="Mois de garde", help_text="Au format AAAA-MM, par exemple 2025-09.")
    naissance = forms.DateField(
        label="Date de naissance de l'enfant",
        help_text="Au format JJ/MM/AAAA.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": "Saisissez une date valide, par exemple 15/03/2024.",
            "required": "Ce champ est obligatoire.",
        },
    )
    heures = MontantField(
        label="Heures d'accueil dans le mois",
        help_text="Heures rémunérées à l'assistant maternel, par exemple 125.",
        minimum=Decimal("0.01"),
        message_minimum="Indiquez un nombre d'heures supérieur à 0.",
        maximum=Decimal(300),
        message_maximum="Indiquez au plus 300 heures par mois.",
    )
    salaire_horaire = MontantField(
        label="Salaire horaire net (€)",
        help_text="Par exemple 4,85.",
        minimum=Decimal("0.01"),
        message_minimum="Indiquez un salaire horaire supérieur à 0 €.",
        maximum=Decimal(100),
        message_maximum="Indiquez un salaire horaire d'au plus 100 € net.",
    )
    indemnites = MontantField(
        label="Indemnités d'entretien et de repas du mois (€)",
        help_text="Total du mois ; laissez vide s'il n'y en a pas.",
        required=False,
        maximum=Decimal(2000),
        message_maximum="Indiquez au plus 2 000 € d'indemnités par mois.",
    )

    def __init__(self, *args, aujourd_hui: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.premier_mois = officiels().premier_jour(*FAMILLES_DU_SIMULATEUR)
        self.dernier_mois = date(aujourd_hui.year + 1, 12, 1)
        self.fields["mois"].initial = date(aujourd_hui.year, aujourd_hui.month, 1)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # A GET form: a CSRF token would only land in the address a family bookmarks or shares.
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("Votre foyer", "ressources", "enfants", "parent_isole", "aeeh", "aah"),
            Fieldset(
                "L'accueil chez l'assistant maternel", "mois", "naissance", "heures", "salaire_horaire", "indemnites"
            ),
        )

    def clean_mois(self):
        mois = self.cleaned_data["mois"]
        if not self.premier_mois <= mois <= self.dernier_mois:
            raise forms.ValidationError(
                f"Choisissez un mois entre {mois_en_clair(self.premier_mois)} et {mois_en_clair(self.dernier_mois)}."
            )
        return mois

    def clean_indemnites(self):
        return self.cleaned_data["indemnites"] or Decimal(0)

    def clean(self):
        cleaned = super().clean()
        mois, naissance = cleaned.get("mois"), cleaned.get("naissance")
        if mois and naissance:
            fin_du_mois = date(mois.year + mois.month // 12, mois.month % 12 + 1, 1)
            if naissance >= fin_du_mois:
                self.add_error("naissance", "L'enfant doit être né au plus tard pendant le mois de garde.")
            elif naissance < date(mois.year - AGE_MAXIMAL, mois.month, 1):
                message = f"Saisissez la date de naissance d'un enfant de moins de {AGE_MAXIMAL} ans."
                self.add_error("naissance", message)
        return cleaned

    def simuler(self) -> Simulation | None:
        """The estimate for valid input; None, with an error on the month, when its scales are unknown."""
        donnees = self.cleaned_data
        famille = Famille(
            ressources_mensuelles=donnees["ressources"],
            enfants_a_charge=donnees["enfants"],
            parent_isole=donnees["parent_isole"],
            aeeh=donnees["aeeh"],
            aah=donnees["aah"],
        )
        garde = Garde(
            mois=donnees["mois"],
            naissance=donnees["naissance"],
            heures=donnees["heures"],
            salaire_horaire=donnees["salaire_horaire"],
            indemnites=donnees["indemnites"],
        )
        try:
            return Simulation(
                cmg=calculer_cmg(famille=famille, garde=garde),
                psu=calculer_psu(mois=garde.mois, famille=famille, heures=garde.heures),
            )
        except ParametresIndisponibles as exc:
            self.add_error("mois", str(exc))
            return None


# --- Conventions ----------------------------------------------------------------------------------


class ConventionForm(SaisieDAutrui, forms.Form):
    """The terms of a convention, typed by an agent or an animator. Choices are limited to what they see."""

    relais = forms.ModelChoiceField(label="Relais", queryset=None, empty_label=None)
    parent_email = EmailField(
        label="Courriel du parent",
        help_text="Le compte « Parent » du portail avec lequel il ou elle signera.",
        error_messages={"invalid": "Saisissez une adresse e-mail valide.", "required": "Ce champ est obligatoire."},
    )
    parent2_email = EmailField(
        label="Courriel du second parent (facultatif)",
        help_text="Parents séparés : chacun signe avec son propre compte.",
        required=False,
        error_messages={"invalid": "Saisissez une adresse e-mail valide."},
    )
    commune_famille = forms.ModelChoiceField(label="Commune de la famille", queryset=None)
    enfant_prenom = forms.CharField(label="Prénom de l'enfant", max_length=100)
    enfant_naissance = forms.DateField(
        label="Date de naissance de l'enfant",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide, par exemple 15/03/2025."},
    )
    assistant_maternel = ChoixDAssmat(label="Assistant·e maternel·le", queryset=None)
    date_debut = forms.DateField(
        label="Date de début",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide, par exemple 01/03/2026."},
    )
    duree_mois = forms.IntegerField(
        label="Durée (mois)",
        initial=18,
        min_value=1,
        max_value=36,
        error_messages={
            "min_value": "Indiquez une durée d'au moins 1 mois.",
            "max_value": "Indiquez une durée d'au plus 36 mois.",
        },
    )
    heures_mensuelles = MontantField(
        label="Heures d'accueil prévues par mois",
        minimum=Decimal("0.01"),
        message_minimum="Indiquez un nombre d'heures supérieur à 0.",
        maximum=Decimal(300),
        message_maximum="Indiquez au plus 300 heures par mois.",
    )
    salaire_horaire = MontantField(
        label="Salaire horaire net (€)",
        minimum=Decimal("0.01"),
        message_minimum="Indiquez un salaire horaire supérieur à 0 €.",
        maximum=Decimal(100),
        message_maximum="Indiquez un salaire horaire d'au plus 100 € net.",
    )
    indemnites_entretien = MontantField(
        label="Indemnités d'entretien par mois (€)",
        required=False,
        maximum=Decimal(2000),
        message_maximum="Indiquez au plus 2 000 € par mois.",
    )
    indemnites_repas = MontantField(
        label="Indemnités de repas par mois (€)",
        required=False,
        maximum=Decimal(2000),
        message_maximum="Indiquez au plus 2 000 € par mois.",
    )
    ressources_mensuelles = MontantField(
        label="Ressources mensuelles du foyer (€)",
        help_text="Revenus de l'avant-dernière année divisés par 12, comme pour le CMG.",
        maximum=Decimal(1_000_000),
        message_maximum="Indiquez des ressources mensuelles d'au plus 1 000 000 €.",
    )
    enfants_a_charge = forms.IntegerField(
        label="Nombre d'enfants à charge",
        help_text="Y compris l'enfant accueilli.",
        initial=1,
        min_value=1,
        max_value=20,
        error_messages={
            "min_value": "Comptez au moins l'enfant accueilli : 1 enfant ou plus.",
            "max_value": "Indiquez au plus 20 enfants à charge.",
        },
    )
    parent_isole = forms.BooleanField(label="Parent isolé", required=False)
    rsa = forms.BooleanField(label="Le foyer perçoit le RSA", required=False)
    aeeh = forms.BooleanField(label="Un enfant du foyer perçoit l'AEEH", required=False)
    aah = forms.BooleanField(label="Un parent perçoit l'AAH", required=False)

    def __init__(self, *args, relais, communes, assmats, parents, enfant_de=None, **kwargs):
        """`enfant_de`: the convention whose child stays as it is, neither shown nor typed (a CAF agent modifying
        its terms reads no child's name or birth date)."""
        super().__init__(*args, **kwargs)
        self.parents = parents
        self.enfant_de = enfant_de
        enfant = Fieldset("L'enfant", "enfant_prenom", "enfant_naissance")
        if enfant_de is not None:
            del self.fields["enfant_prenom"], self.fields["enfant_naissance"]
            enfant = HTML(
                f"<p>L'enfant de la convention {enfant_de.reference} reste inchangé·e : la CAF ne lit ni son prénom "
                "ni sa date de naissance.</p>"
            )
        self.fields["relais"].queryset = relais.order_by("nom")
        self.fields["commune_famille"].queryset = communes.order_by("nom", "code_insee")
        self.fields["assistant_maternel"].queryset = assmats.order_by("nom", "prenom", "pk")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("Relais et famille", "relais", "parent_email", "parent2_email", "commune_famille"),
            enfant,
            Fieldset(
                "L'accueil",
                "assistant_maternel",
                "date_debut",
                "duree_mois",
                "heures_mensuelles",
                "salaire_horaire",
                "indemnites_entretien",
                "indemnites_repas",
            ),
            Fieldset(
                "Situation de la famille",
                "ressources_mensuelles",
                "enfants_a_charge",
                "parent_isole",
                "rsa",
                "aeeh",
                "aah",
            ),
        )

    def _parent(self, champ):
        email = self.cleaned_data.get(champ)
        if not email:
            return None
        parent = self.parents.filter(email__iexact=email).first()
        if parent is None:
            raise forms.ValidationError(
                "Aucun compte « Parent » n'existe avec cette adresse : invitez la famille à créer son compte."
            )
        return parent

    def clean_parent_email(self):
        return self._parent("parent_email")

    def clean_parent2_email(self):
        return self._parent("parent2_email")

    def clean_indemnites_entretien(self):
        return self.cleaned_data["indemnites_entretien"] or Decimal(0)

    def clean_indemnites_repas(self):
        return self.cleaned_data["indemnites_repas"] or Decimal(0)

    def clean(self):
        cleaned = super().clean()
        parent, parent2 = cleaned.get("parent_email"), cleaned.get("parent2_email")
        if parent and parent2 and parent.pk == parent2.pk:
            self.add_error("parent2_email", "Le second parent doit avoir un autre compte que le premier.")
        naissance, debut = self._naissance(), cleaned.get("date_debut")
        if naissance and debut and naissance > debut:
            champ = "enfant_naissance" if "enfant_naissance" in self.fields else "date_debut"
            self.add_error(champ, "L'enfant doit être né au plus tard à la date de début.")
        salaire = cleaned.get("salaire_horaire")
        if debut and salaire is not None:
            # The statements' rule, checked here too so that the preview and the saving say it beside the wage.
            try:
                services.exiger_salaire_minimum(debut, salaire)
            except services.SaisieRefusee as exc:
                self.add_error(exc.champ if exc.champ in self.fields else "date_debut", str(exc))
        return cleaned

    def _naissance(self):
        if self.enfant_de is not None:
            return self.enfant_de.enfant_naissance
        return self.cleaned_data.get("enfant_naissance")

    def termes_dict(self) -> dict:
        donnees = dict(self.cleaned_data)
        if self.enfant_de is not None:
            donnees["enfant_prenom"] = self.enfant_de.enfant_prenom
            donnees["enfant_naissance"] = self.enfant_de.enfant_naissance
        donnees["parent"] = donnees.pop("parent_email")
        donnees["parent2"] = donnees.pop("parent2_email")
        return donnees

    @staticmethod
    def initial_de(convention) -> dict:
        initial = {nom: getattr(convention, nom) for nom in ConventionForm.base_fields if hasattr(convention, nom)}
        initial["relais"] = convention.relais_id
        initial["commune_famille"] = convention.commune_famille_id
        initial["assistant_maternel"] = convention.assistant_maternel_id
        initial["parent_email"] = convention.parent.email
        initial["parent2_email"] = convention.parent2.email if convention.parent2_id else ""
        return initial


class MotifForm(forms.Form):
    motif = forms.CharField(
        label="Motif de la résiliation",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Indiquez le motif de la résiliation."},
    )


class ContestationForm(forms.Form):
    motif = forms.CharField(
        label="Ce qui est inexact dans le relevé",
        help_text="Par exemple : « 110 heures et non 125 : l'enfant était absent la semaine du 9 ». "
        "L'assistant·e maternel·le et le relais le liront.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Indiquez ce qui est inexact dans le relevé."},
    )


class ReleveForm(forms.Form):
    mois = MoisField(label="Mois", help_text="Au format AAAA-MM, par exemple 2026-03.")
    heures = MontantField(
        label="Heures d'accueil du mois",
        minimum=Decimal("0.01"),
        message_minimum="Indiquez un nombre d'heures supérieur à 0.",
        maximum=Decimal(300),
        message_maximum="Indiquez au plus 300 heures par mois.",
    )
    salaire_horaire = MontantField(
        label="Salaire horaire net (€)",
        minimum=Decimal("0.01"),
        message_minimum="Indiquez un salaire horaire supérieur à 0 €.",
        maximum=Decimal(100),
        message_maximum="Indiquez un salaire horaire d'au plus 100 € net.",
    )
    indemnites = MontantField(
        label="Indemnités d'entretien et de repas du mois (€)",
        help_text="Laissez vide s'il n'y en a pas : vide compte pour 0 €.",
        required=False,
        maximum=Decimal(2000),
        message_maximum="Indiquez au plus 2 000 € d'indemnités par mois.",
    )

    def clean_indemnites(self):
        return self.cleaned_data["indemnites"] or Decimal(0)


class ExportForm(forms.Form):
    mois = MoisField(label="Mois des paiements")
