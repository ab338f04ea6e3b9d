from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "comptes"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from django.db.models.signals import pre_save

        from comptes import signals  # noqa: F401 - connects the login receiver
        from comptes.texte import neutraliser_les_lignes

        pre_save.connect(neutraliser_les_lignes, dispatch_uid="comptes.neutraliser_les_lignes")
