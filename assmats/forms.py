import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assmats.models import (
    MAX_ENFANTS_SIMULTANES,
    MAX_MOINS_DE_3_ANS,
    Accueil,
    Agrement,
    AssistantMaternel,
    Disponibilite,
    DisponibiliteStructure,
    Entretien,
    HorairesAtypiques,
    Jour,
    Structure,
    TrancheAge,
)
from comptes.champs import (
    CODE_POSTAL,
    ChiffresField,
    DateInput,
    EmailField,
    ListeLongue,
    TimeInput,
    normaliser_telephone,
)
from comptes.saisie import SaisieDAutrui, SaisieDeSoi
from relais.selectors import communes_desservies_du_code_postal, list_communes_desservies


class JoursField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Jours")
        super().__init__(choices=Jour.choices, coerce=int, widget=forms.CheckboxSelectMultiple, **kwargs)


def verifier_horaires(cleaned_data) -> None:
    debut, fin = cleaned_data.get("heure_debut"), cleaned_data.get("heure_fin")
    if debut and fin and fin <= debut:
        raise forms.ValidationError("L'heure de fin doit être après l'heure de début.")


class ProfilForm(SaisieDeSoi, forms.ModelForm):
    commune = forms.ModelChoiceField(queryset=list_communes_desservies(), label="Commune")

    class Meta:
        model = AssistantMaternel
        fields = [
            "prenom", "nom", "telephone", "adresse", "commune", "membre_mam", "nom_mam", "langues",
            "espace_exterieur", "animaux", "presentation", "afficher_disponibilites", "afficher_telephone",
        ]  # fmt: skip
        widgets = {"presentation": forms.Textarea(attrs={"rows": 4})}

    def clean_telephone(self):
        return normaliser_telephone(self.cleaned_data["telephone"])

    def clean(self):
        data = super().clean()
        if data.get("nom_mam") and not data.get("membre_mam"):
            self.add_error("nom_mam", "Indiquez le nom de la MAM seulement si vous y exercez.")
        if data.get("afficher_telephone") and not data.get("afficher_disponibilites"):
            if self.initial.get("afficher_disponibilites"):
                # Withdrawing her consent withdraws the phone too, as `services.enregistrer_profil` does.
                data["afficher_telephone"] = False
            else:
                self.add_error("afficher_telephone", "Le téléphone n'est affiché qu'avec vos disponibilités.")
        if data.get("afficher_telephone") and not data.get("telephone"):
            self.add_error("afficher_telephone", "Renseignez d'abord votre numéro de téléphone.")
        return data


class AgrementForm(forms.ModelForm):
    class Meta:
        model = Agrement
        fields = [
            "numero", "date_delivrance", "date_fin_validite", "capacite_totale", "capacite_moins_3_ans",
            "capacite_periscolaire", *HorairesAtypiques.CHAMPS,
        ]  # fmt: skip
        field_classes = {"numero": ChiffresField}
        widgets = {"date_delivrance": DateInput(), "date_fin_validite": DateInput()}

    def clean_capacite_totale(self):
        valeur = self.cleaned_data["capacite_totale"]
        if not 1 <= valeur <= MAX_ENFANTS_SIMULTANES:
            raise forms.ValidationError(
                f"Un agrément autorise de 1 à {MAX_ENFANTS_SIMULTANES} enfants (art. L421-4 CASF)."
            )
        return valeur

    def clean_capacite_moins_3_ans(self):
        valeur = self.cleaned_data["capacite_moins_3_ans"]
        if valeur > MAX_MOINS_DE_3_ANS:
            raise forms.ValidationError(f"Au plus {MAX_MOINS_DE_3_ANS} enfants de moins de 3 ans (art. L421-4 CASF).")
        return valeur

    def clean(self):
        data = super().clean()
        total = data.get("capacite_totale")
        if total is not None:
            if (data.get("capacite_moins_3_ans") or 0) > total:
                self.add_error("capacite_moins_3_ans", "Ne peut pas dépasser le nombre total d'enfants.")
            if (data.get("capacite_periscolaire") or 0) > total:
                self.add_error("capacite_periscolaire", "Ne peut pas dépasser le nombre total d'enfants.")
        debut, fin = data.get("date_delivrance"), data.get("date_fin_validite")
        if debut and fin and fin <= debut:
            self.add_error("date_fin_validite", "La fin de validité doit suivre la date de délivrance.")
        if debut and debut > timezone.localdate():
            self.add_error("date_delivrance", "La date de délivrance ne peut pas être dans le futur.")
        return data


class AccueilForm(forms.ModelForm):
    jours = JoursField(label="Jours d'accueil")

    class Meta:
        model = Accueil
        fields = ["prenom_enfant", "date_naissance", "jours", "heure_debut", "heure_fin", "date_debut", "date_fin"]
        widgets = {
            "date_naissance": DateInput(),
            "date_debut": DateInput(),
            "date_fin": DateInput(),
            "heure_debut": TimeInput(),
            "heure_fin": TimeInput(),
        }

    def clean_date_naissance(self):
        naissance = self.cleaned_data["date_naissance"]
        aujourd_hui = timezone.localdate()
        if naissance > aujourd_hui:
            raise forms.ValidationError("La date de naissance ne peut pas être dans le futur.")
        if naissance < aujourd_hui - relativedelta(years=11):
            raise forms.ValidationError("L'agrément couvre l'accueil d'enfants de moins de 11 ans.")
        return naissance

    def clean(self):
        data = super().clean()
        verifier_horaires(data)
        debut, fin, naissance = data.get("date_debut"), data.get("date_fin"), data.get("date_naissance")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin de l'accueil doit suivre son début.")
        if debut and naissance and debut < naissance:
            self.add_error("date_debut", "L'accueil ne peut pas commencer avant la naissance de l'enfant.")
        return data


class DisponibiliteForm(forms.ModelForm):
    jours = JoursField(label="Jours proposés")

    class Meta:
        model = Disponibilite
        fields = [
            "a_partir_du", "places_moins_3_ans", "places_plus_3_ans", "jours", "heure_debut", "heure_fin",
            *HorairesAtypiques.CHAMPS, "commentaire",
        ]  # fmt: skip
        widgets = {"a_partir_du": DateInput(), "heure_debut": TimeInput(), "heure_fin": TimeInput()}

    def clean_a_partir_du(self):
        debut = self.cleaned_data["a_partir_du"]
        if debut > timezone.localdate() + relativedelta(months=12):
            raise forms.ValidationError("Déclarez des disponibilités pour les 12 prochains mois au plus.")
        return max(debut, timezone.localdate())

    def clean(self):
        data = super().clean()
        verifier_horaires(data)
        if data.get("places_moins_3_ans") == 0 and data.get("places_plus_3_ans") == 0:
            raise forms.ValidationError("Indiquez au moins une place disponible.")
        return data


class SousActiviteForm(forms.Form):
    depuis = forms.DateField(label="En sous-activité depuis le", widget=DateInput())
    places_inoccupees = forms.IntegerField(label="Nombre de places inoccupées", min_value=1, max_value=6)
    commentaire = forms.CharField(
        label="Commentaire", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_depuis(self):
        depuis = self.cleaned_data["depuis"]
        if depuis > timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être dans le futur.")
        if depuis < timezone.localdate() - relativedelta(years=5):
            raise forms.ValidationError("Indiquez une date des cinq dernières années.")
        return depuis


class EntretienForm(forms.Form):
    type = forms.ChoiceField(label="Type d'entretien", choices=Entretien.Type.choices, widget=forms.RadioSelect)
    date_entretien = forms.DateTimeField(
        label="Date et heure", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    def clean_date_entretien(self):
        quand = self.cleaned_data["date_entretien"]
        if quand > timezone.now() + timedelta(days=366):
            raise forms.ValidationError("Choisissez une date dans l'année qui vient.")
        return quand


class IssueEntretienForm(forms.Form):
    issue = forms.ChoiceField(label="Issue", choices=Entretien.Issue.choices)


class LabelAvipForm(forms.Form):
    date = forms.DateField(label="Date", widget=DateInput(), initial=date.today)


class _OptionsDeCommunes(forms.models.ModelChoiceIterator):
    """The options read only what a commune's label needs; the choice made is still fetched whole (its
    coordinates find the neighbouring communes)."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = self.queryset.only("pk", "nom", "codes_postaux", "code_insee")


class _CommuneDesservie(forms.ModelChoiceField):
    iterator = _OptionsDeCommunes


class RechercheForm(SaisieDeSoi, forms.Form):
    # Every commune a relais serves (about 180 at the large scale), on the public page most requested: its
    # <select> is written in Python (ListeLongue) rather than by a template per option.
    commune = _CommuneDesservie(
        queryset=list_communes_desservies(),
        label="Commune",
        empty_label="Choisissez une commune",
        required=False,
        widget=ListeLongue,
    )
    code_postal = ChiffresField(
        label="Ou votre code postal",
        required=False,
        max_length=5,
        validators=[CODE_POSTAL],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    voisines = forms.BooleanField(label="Inclure les communes voisines", required=False, initial=True)
    tranche = forms.ChoiceField(
        label="Âge de l'enfant au début de l'accueil",
        required=False,
        choices=[("", "Peu importe"), (TrancheAge.MOINS_3, "moins de 3 ans"), ("plus_3", "3 ans ou plus")],
    )
    debut = forms.DateField(label="À partir du", required=False, widget=DateInput())
    atypiques = forms.MultipleChoiceField(
        label="Horaires atypiques",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(champ, HorairesAtypiques._meta.get_field(champ).verbose_name) for champ in HorairesAtypiques.CHAMPS],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # « le code postal 75011 » when no relais of the portal serves it: the page then points elsewhere.
        self.hors_territoire = ""

    def clean_debut(self):
        debut = self.cleaned_data.get("debut")
        aujourd_hui = timezone.localdate()
        if debut and not aujourd_hui - timedelta(days=1) <= debut <= aujourd_hui + relativedelta(years=2):
            raise forms.ValidationError("Choisissez une date entre aujourd'hui et dans deux ans.")
        return debut

    def clean(self):
        data = super().clean()
        code_postal = data.get("code_postal")
        if data.get("commune"):
            data["communes"] = [data["commune"]]
        elif code_postal:
            data["communes"] = list(communes_desservies_du_code_postal(code_postal))
            if not data["communes"]:
                self.hors_territoire = f"le code postal {code_postal}"
                self.add_error("code_postal", f"Aucun relais de ce portail ne dessert le code postal {code_postal}.")
        elif "code_postal" not in self.errors:
            self.add_error("commune", "Choisissez votre commune ou indiquez votre code postal.")
        return data


class ContactRelaisForm(SaisieDeSoi, forms.Form):
    """A family's message to a childminder who does not show her phone, sent to her relais."""

    nom = forms.CharField(label="Votre nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = EmailField(label="Votre e-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    telephone = forms.CharField(
        label="Votre téléphone (facultatif)",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    message = forms.CharField(
        label="Votre message",
        max_length=2000,
        help_text="L'âge de votre enfant, les jours et horaires d'accueil souhaités, à partir de quand.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_telephone(self):
        return normaliser_telephone(self.cleaned_data["telephone"])


FILTRES_LISTE = [
    ("", "Toutes"),
    ("disponible", "Avec une place libre"),
    ("sous_activite", "Ayant signalé une sous-activité"),
    ("agrement_expire_bientot", "Agrément expirant bientôt"),
    ("avip", "Labellisées AVIP"),
    ("affichee", "Disponibilités affichées en ligne"),
    ("non_affichee", "Disponibilités non affichées"),
]


class FiltreListeForm(forms.Form):
    filtre = forms.ChoiceField(label="Afficher", choices=FILTRES_LISTE, required=False)
    q = forms.CharField(label="Nom", required=False, max_length=100)


class StructureForm(SaisieDAutrui, forms.ModelForm):
    commune = forms.ModelChoiceField(queryset=list_communes_desservies(), label="Commune")

    class Meta:
        model = Structure
        fields = [
            "type", "nom", "gestionnaire", "adresse", "commune", "telephone", "email", "horaires",
            "places_moins_3_ans", "places_plus_3_ans", "places_insertion", "places_avip",
        ]  # fmt: skip
        field_classes = {"email": EmailField}

    def clean_telephone(self):
        return normaliser_telephone(self.cleaned_data["telephone"])

    def clean(self):
        data = super().clean()
        capacite = (data.get("places_moins_3_ans") or 0) + (data.get("places_plus_3_ans") or 0)
        if data.get("type") != Structure.Type.MAM and (data.get("places_insertion") or 0) < -(-capacite // 20):
            self.add_error(
                "places_insertion",
                f"Au moins {-(-capacite // 20)} place(s) réservée(s) à l'insertion pour {capacite} places "
                "(1 pour 20, art. D214-7 CASF).",
            )
        if (data.get("places_avip") or 0) > capacite:
            self.add_error("places_avip", "Les places AVIP ne peuvent pas dépasser la capacité.")
        return data


class DisponibiliteStructureForm(forms.ModelForm):
    class Meta:
        model = DisponibiliteStructure
        fields = ["a_partir_du", "places_moins_3_ans", "places_plus_3_ans"]
        widgets = {"a_partir_du": DateInput()}

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure

    def clean(self):
        data = super().clean()
        if (data.get("places_moins_3_ans") or 0) > self.structure.places_moins_3_ans:
            self.add_error("places_moins_3_ans", "Plus de places libres que de places dans la structure.")
        if (data.get("places_plus_3_ans") or 0) > self.structure.places_plus_3_ans:
            self.add_error("places_plus_3_ans", "Plus de places libres que de places dans la structure.")
        debut = data.get("a_partir_du")
        if debut and DisponibiliteStructure.objects.filter(structure=self.structure, a_partir_du=debut).exists():
            self.add_error("a_partir_du", "Des places sont déjà déclarées à cette date.")
        return data


class ImportAgrementsForm(forms.Form):
    fichier = forms.FileField(label="Fichier CSV de la PMI")
    appliquer = forms.BooleanField(
        label="Enregistrer (sinon, simple vérification)", required=False, help_text="Tout ou rien."
    )

    def clean_fichier(self):
        """A CSV text of at most `IMPORT_CSV_TAILLE_MAX`, handed on re-encoded in UTF-8, never saved."""
        fichier = self.cleaned_data["fichier"]
        if not fichier.name.lower().endswith(".csv"):
            raise forms.ValidationError("Déposez un fichier .csv.")
        limite = settings.IMPORT_CSV_TAILLE_MAX
        if fichier.size > limite:
            raise forms.ValidationError(f"Le fichier dépasse {limite // (1024 * 1024)} Mo.")
        texte = _texte_du_csv(fichier.read())
        # Spreadsheets on French Windows save « CSV » in Windows-1252: the import reads UTF-8.
        return SimpleUploadedFile(fichier.name, texte.encode("utf-8"), content_type="text/csv")


# Control characters other than tab and line ends: a text file has none, a binary one (a renamed .xlsx,
# an image) almost always does.
_CARACTERES_DE_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _texte_du_csv(contenu: bytes) -> str:
    for encodage in ("utf-8-sig", "cp1252"):
        try:
            texte = contenu.decode(encodage)
        except UnicodeDecodeError:
            continue
        if not _CARACTERES_DE_CONTROLE.search(texte):
            return texte
        break
    raise forms.ValidationError(
        "Ce fichier n'est pas un texte CSV. Enregistrez-le depuis le tableur au format « CSV UTF-8 » "
        "ou « CSV (séparateur : point-virgule) »."
    )
