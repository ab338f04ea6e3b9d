"""The correction of one's own identity and contact details (GDPR art. 16)."""

from comptes.forms import ProfilForm
from comptes.saisie import SaisieDeSoi


class CorrectionForm(SaisieDeSoi, ProfilForm):
    """The account's identity and phone, as on « Mon compte », with both names required: a correction replaces
    a name, it does not erase it (erasing is the account's deletion)."""

    class Meta(ProfilForm.Meta):
        labels = {"first_name": "Prénom", "last_name": "Nom", "telephone": "Téléphone"}
        help_texts = {"telephone": "10 chiffres, par exemple 06 12 34 56 78. Laissez vide pour ne pas en donner."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("first_name", "last_name"):
            self.fields[nom].required = True
            self.fields[nom].error_messages["required"] = "Indiquez votre " + self.fields[nom].label.lower() + "."
