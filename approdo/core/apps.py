from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "approdo.core"
    verbose_name = "Nucleo"
