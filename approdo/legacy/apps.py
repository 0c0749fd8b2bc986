from django.apps import AppConfig


class LegacyConfig(AppConfig):
    name = "approdo.legacy"
    verbose_name = "Importazione dal vecchio gestionale"
