from django import forms
from django.utils import timezone

from assmats.permissions import assmats_for_user
from comptes.champs import ChiffresField, DateInput, EmailField, TimeInput
from comptes.saisie import SaisieDAutrui, SaisieDeSoi, decrire_la_saisie
from formation.models import (
    DemandeAccueilAlternatif,
    Inscription,
    JoursPreferes,
    OrganismeFormation,
    PropositionAccueilAlternatif,
    SessionFormation,
    SouhaitFormation,
    ThemeFormation,
)
from formation.permissions import inscriptions_for_user, souhaits_for_user
from relais.permissions import communes_for_user, relais_for_user
from relais.selectors import list_communes_desservies


def verifier_periode(cleaned_data, debut="date_debut", fin="date_fin") -> None:
    if cleaned_data.get(debut) and cleaned_data.get(fin) and cleaned_data[fin] < cleaned_data[debut]:
        raise forms.ValidationError("La date de fin doit être après la date de début.")


class SouhaitForm(forms.ModelForm):
    theme = forms.ModelChoiceField(
        queryset=ThemeFormation.objects.filter(actif=True).order_by("ordre", "libelle"), label="Thème"
    )
    jours_preferes = forms.ChoiceField(choices=JoursPreferes.choices, widget=forms.RadioSelect, label="Jours préférés")
    commune = forms.ModelChoiceField(queryset=list_communes_desservies(), label="Commune où vous former")

    class Meta:
        model = SouhaitFormation
        fields = ["theme", "jours_preferes", "commune", "precisions"]
        widgets = {"precisions": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"precisions": "Ce que vous attendez de la formation, vos contraintes…"}


class OrganismeForm(SaisieDAutrui, forms.ModelForm):
    # Typed with spaces as printed on INSEE notices; the model's validator checks the digits without them.
    siret = ChiffresField(label="SIRET", max_length=20, help_text="14 chiffres, espaces acceptés.")

    class Meta:
        model = OrganismeFormation
        fields = ["nom", "siret", "contact", "email", "telephone"]
        field_classes = {"email": EmailField, "telephone": ChiffresField}

    def clean_siret(self):
        return "".join(self.cleaned_data["siret"].split())


class SessionForm(forms.ModelForm):
    class Meta:
        model = SessionFormation
        fields = [
            "relais",
            "organisme",
            "intitule",
            "theme",
            "date_debut",
            "date_fin",
            "heure_debut",
            "heure_fin",
            "lieu",
            "commune",
            "capacite",
            "souhaits",
        ]
        widgets = {
            "date_debut": DateInput(),
            "date_fin": DateInput(),
            "heure_debut": TimeInput(),
            "heure_fin": TimeInput(),
            "souhaits": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relais"].queryset = relais_for_user(user).order_by("nom")
        self.fields["organisme"].queryset = OrganismeFormation.objects.order_by("nom", "pk")
        self.fields["theme"].queryset = ThemeFormation.objects.order_by("ordre", "libelle")
        self.fields["commune"].queryset = communes_for_user(user).order_by("nom", "code_insee")
        self.fields["souhaits"].queryset = (
            souhaits_for_user(user)
            .actifs()
            .select_related("assistant_maternel", "theme")
            .order_by("theme__libelle", "pk")
        )
        self.fields["souhaits"].label_from_instance = lambda s: (
            f"{s.theme} – {s.assistant_maternel} ({s.get_jours_preferes_display()})"
        )
        self.fields["souhaits"].required = False

    def clean(self):
        cleaned_data = super().clean()
        verifier_periode(cleaned_data)
        debut, fin = cleaned_data.get("heure_debut"), cleaned_data.get("heure_fin")
        if debut and fin and fin <= debut:
            raise forms.ValidationError("L'heure de fin doit être après l'heure de début.")
        return cleaned_data


class InscrireForm(forms.Form):
    assmat = forms.ModelChoiceField(
        queryset=None, label="Assistant·e maternel·le à inscrire", widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assmat"].queryset = (
            assmats_for_user(user).select_related("commune").order_by("nom", "prenom", "pk")
        )


class EnfantsConcernesForm(forms.Form):
    """One checkbox and one parent e-mail per child in care during the session."""

    def __init__(self, *args, accueils, declares: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.accueils = accueils
        for accueil in accueils:
            self.fields[f"enfant_{accueil.pk}"] = forms.BooleanField(
                required=False, label=f"{accueil.prenom_enfant} est concerné·e", initial=accueil.pk in declares
            )
            self.fields[f"email_{accueil.pk}"] = EmailField(
                required=False,
                label=f"E-mail d'un parent de {accueil.prenom_enfant}",
                initial=declares.get(accueil.pk, ""),
                help_text="Le parent recevra un lien pour demander un accueil pendant votre formation.",
            )
        decrire_la_saisie(self, de_soi=False)  # the fields are made above, after the mixins' __init__ would run

    def lignes(self):
        return [(a, self[f"enfant_{a.pk}"], self[f"email_{a.pk}"]) for a in self.accueils]

    def enfants(self) -> list[tuple[int, str]]:
        return [
            (a.pk, self.cleaned_data[f"email_{a.pk}"]) for a in self.accueils if self.cleaned_data[f"enfant_{a.pk}"]
        ]


class DemandeParentForm(SaisieDeSoi, forms.Form):
    date_debut = forms.DateField(label="Accueil nécessaire du", widget=DateInput())
    date_fin = forms.DateField(label="au", widget=DateInput())
    telephone = ChiffresField(label="Téléphone où le relais peut vous joindre", max_length=20, required=False)
    commentaire = forms.CharField(
        label="Précisions (horaires, besoins de l'enfant…)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned_data = super().clean()
        verifier_periode(cleaned_data)
        return cleaned_data


class DemandeTelephoneForm(SaisieDAutrui, forms.ModelForm):
    inscription = forms.ModelChoiceField(queryset=None, label="Formation de l'assistant·e maternel·le")

    class Meta:
        model = DemandeAccueilAlternatif
        fields = [
            "inscription",
            "prenom_enfant",
            "nom_parent",
            "telephone_parent",
            "email_parent",
            "date_debut",
            "date_fin",
            "commentaire",
        ]
        field_classes = {"telephone_parent": ChiffresField}
        widgets = {
            "date_debut": DateInput(),
            "date_fin": DateInput(),
            "commentaire": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inscription"].queryset = (
            inscriptions_for_user(user)
            .filter(
                statut__in=[Inscription.Statut.INSCRITE, Inscription.Statut.PARTIE],
                session__date_fin__gte=timezone.localdate(),
            )
            .select_related("assistant_maternel", "session")
            .order_by("session__date_debut", "assistant_maternel__nom", "pk")
        )
        self.fields["inscription"].label_from_instance = lambda i: (
            f"{i.assistant_maternel} – {i.session.intitule} "
            f"(du {i.session.date_debut:%d/%m/%Y} au {i.session.date_fin:%d/%m/%Y})"
        )

    def clean(self):
        cleaned_data = super().clean()
        verifier_periode(cleaned_data)
        return cleaned_data


class PropositionForm(forms.Form):
    type = forms.ChoiceField(
        choices=PropositionAccueilAlternatif.Type.choices, widget=forms.RadioSelect, label="Solution proposée"
    )
    assmat = forms.TypedChoiceField(label="Assistant·e maternel·le", required=False, coerce=int, empty_value=None)
    structure = forms.TypedChoiceField(label="Structure", required=False, coerce=int, empty_value=None)
    description = forms.CharField(
        label="Précisions pour le parent (obligatoire pour une autre solution)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, assmats, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assmat"].choices = [("", "—")] + [
            (a.pk, f"{a} – {a.commune.nom} ({a.libres_total} place{'s' if a.libres_total > 1 else ''} libre)")
            for a in assmats
        ]
        self.fields["structure"].choices = [("", "—")] + [
            (s.pk, f"{s} – {s.get_type_display()}, {s.commune.nom}") for s in structures
        ]

    def clean(self):
        cleaned_data = super().clean()
        Type = PropositionAccueilAlternatif.Type
        type_ = cleaned_data.get("type")
        if type_ == Type.ASSMAT and not cleaned_data.get("assmat"):
            self.add_error("assmat", "Choisissez l'assistant·e maternel·le proposé·e.")
        if type_ == Type.STRUCTURE and not cleaned_data.get("structure"):
            self.add_error("structure", "Choisissez la structure proposée.")
        if type_ == Type.AUTRE and not cleaned_data.get("description", "").strip():
            self.add_error("description", "Décrivez la solution proposée.")
        return cleaned_data


class MiseEnRelationForm(forms.Form):
    organisme = forms.ModelChoiceField(queryset=OrganismeFormation.objects.order_by("nom", "pk"), label="Organisme")
    date_envoi = forms.DateField(label="Date d'envoi", widget=DateInput(), initial=timezone.localdate)
    souhaits = forms.ModelMultipleChoiceField(
        queryset=SouhaitFormation.objects.none(), widget=forms.CheckboxSelectMultiple, label="Souhaits transmis"
    )
    commentaire = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, souhaits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["souhaits"].queryset = souhaits
        self.fields["souhaits"].label_from_instance = lambda s: (
            f"{s.theme} – {s.assistant_maternel} – {s.commune.nom} ({s.get_jours_preferes_display()})"
        )
