from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "approdo.reports"
    verbose_name = "Figure e rapporti"

    def ready(self):
        from . import exports  # noqa: F401 (registers the yearly report's file kind)
