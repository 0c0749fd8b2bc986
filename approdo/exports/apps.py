from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "approdo.exports"
    verbose_name = "Esportazioni"
