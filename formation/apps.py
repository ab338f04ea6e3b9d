from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "formation"
    verbose_name = "formation continue des assistants maternels"
