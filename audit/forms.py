from django import forms


class JournalForm(forms.Form):
    email = forms.CharField(label="Adresse e-mail (ou une partie)", required=False, max_length=254)
    object_type = forms.ChoiceField(label="Type d'objet", required=False)
    du = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Tous"), *((t, t) for t in types if t)]

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            self.add_error("au", "La date de fin doit suivre la date de début.")
        return data
