from django.apps import AppConfig


class InsertionConfig(AppConfig):
    name = "insertion"
    verbose_name = "insertion : places AVIP et parcours PEPIT"
