from django.apps import AppConfig


class AssmatsConfig(AppConfig):
    name = "assmats"
    verbose_name = "Offre d'accueil : assistants maternels et structures"
