from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Journal d'accès"

    def ready(self):
        from audit import signals  # noqa: F401 - connects the login/logout receivers
