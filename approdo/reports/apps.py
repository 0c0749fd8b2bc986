from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "approdo.reports"
    verbose_name = "Figure e rapporti"
