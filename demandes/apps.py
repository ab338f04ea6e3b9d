from django.apps import AppConfig


class DemandesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "demandes"
    verbose_name = "demandes d'accueil"

    def ready(self):
        # Ranking parameters follow each new relais; relais itself knows nothing of demandes.
        from demandes import signals  # noqa: F401
