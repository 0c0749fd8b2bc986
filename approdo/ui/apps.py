from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "approdo.ui"
    verbose_name = "Interfaccia"
