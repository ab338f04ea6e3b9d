from django.apps import AppConfig


class TiersPayantConfig(AppConfig):
    name = "tiers_payant"
    verbose_name = "Tiers payant CMG"

    def ready(self):
        # A malformed or overlapping parameter file must stop the start-up, not a family's simulation.
        from tiers_payant.cmg import officiels

        officiels()
