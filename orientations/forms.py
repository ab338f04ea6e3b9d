from django import forms
from django.utils import timezone

from comptes.champs import CODE_POSTAL, ChiffresField, DateInput, EmailField, normaliser_telephone
from comptes.saisie import SaisieDAutrui
from demandes.models import MotifUrgence
from orientations.models import MotifOrientation
from orientations.selectors import list_communes_des_relais
from orientations.services import DonneesOrientation


class OrientationForm(SaisieDAutrui, forms.Form):
    """A short form: who the family is, its child, its need, why, and its consent. The family completes the rest."""

    prenom = forms.CharField(label="Prénom du parent", max_length=150)
    nom = forms.CharField(label="Nom du parent", max_length=150)
    email = EmailField(
        label="E-mail du parent",
        help_text="La famille reçoit à cette adresse l'invitation à compléter sa demande, et la suit en ligne.",
    )
    telephone = ChiffresField(label="Téléphone du parent", max_length=20, required=False)
    commune = forms.ModelChoiceField(
        label="Commune de la famille",
        queryset=None,
        empty_label="Choisissez la commune",
        help_text="Les communes des relais vers lesquels votre organisme oriente des familles.",
    )
    code_postal = ChiffresField(label="Code postal", max_length=5, validators=[CODE_POSTAL])
    enfant_prenom = forms.CharField(label="Prénom de l'enfant", max_length=100)
    enfant_a_naitre = forms.BooleanField(label="L'enfant est à naître", required=False)
    enfant_date = forms.DateField(label="Date de naissance de l'enfant (ou date prévue)", widget=DateInput())
    date_debut_souhaitee = forms.DateField(label="Accueil souhaité à partir du", widget=DateInput())
    urgence = forms.BooleanField(
        label="Besoin urgent : réponse du relais sous 24 h",
        required=False,
        help_text="Un entretien d'embauche, une entrée en formation ou une reprise d'emploi imminents.",
    )
    urgence_motif = forms.ChoiceField(
        label="Motif de l'urgence", choices=[("", "—"), *MotifUrgence.choices], required=False
    )
    motifs = forms.MultipleChoiceField(
        label="Motifs de l'orientation",
        choices=MotifOrientation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consentement = forms.BooleanField(
        label="La famille a donné son accord pour que le relais la contacte au sujet de son besoin d'accueil",
        error_messages={
            "required": "Sans l'accord de la famille pour être contactée par le relais, l'orientation n'est pas "
            "possible."
        },
    )
    consentement_le = forms.DateField(label="Accord donné le", widget=DateInput())

    def __init__(self, *args, partenaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = list_communes_des_relais(partenaire.relais.all())

    def clean_telephone(self):
        return normaliser_telephone(self.cleaned_data["telephone"])

    def clean_consentement_le(self):
        le = self.cleaned_data["consentement_le"]
        if le > timezone.localdate():
            raise forms.ValidationError("La date de l'accord de la famille ne peut pas être dans le futur.")
        return le

    def clean(self):
        donnees = super().clean()
        aujourd_hui = timezone.localdate()
        enfant_date, debut = donnees.get("enfant_date"), donnees.get("date_debut_souhaitee")
        if enfant_date:
            if donnees.get("enfant_a_naitre") and enfant_date < aujourd_hui:
                self.add_error("enfant_date", "Pour un enfant à naître, indiquez la date prévue de la naissance.")
            elif not donnees.get("enfant_a_naitre") and enfant_date > aujourd_hui:
                self.add_error("enfant_date", "Cette date est à venir : cochez « L'enfant est à naître ».")
        if debut and debut < aujourd_hui:
            self.add_error("date_debut_souhaitee", "La date de début de l'accueil ne peut pas être passée.")
        elif debut and enfant_date and debut < enfant_date:
            self.add_error(
                "date_debut_souhaitee", "La date de début de l'accueil ne peut pas précéder la naissance de l'enfant."
            )
        if donnees.get("urgence") and not donnees.get("urgence_motif"):
            self.add_error("urgence_motif", "Indiquez le motif de l'urgence.")
        commune, code_postal = donnees.get("commune"), donnees.get("code_postal")
        if commune and code_postal and commune.codes_postaux and code_postal not in commune.codes_postaux:
            self.add_error("code_postal", f"Ce code postal n'est pas celui de {commune.nom}.")
        return donnees

    def donnees(self) -> DonneesOrientation:
        d = self.cleaned_data
        return DonneesOrientation(
            prenom=d["prenom"],
            nom=d["nom"],
            email=d["email"],
            telephone=d["telephone"],
            commune_id=d["commune"].pk,
            code_postal=d["code_postal"],
            enfant_prenom=d["enfant_prenom"],
            enfant_a_naitre=d["enfant_a_naitre"],
            enfant_date=d["enfant_date"],
            date_debut_souhaitee=d["date_debut_souhaitee"],
            urgence=d["urgence"],
            urgence_motif=d["urgence_motif"] if d["urgence"] else "",
            motifs=d["motifs"],
            consentement=d["consentement"],
            consentement_le=d["consentement_le"],
        )
