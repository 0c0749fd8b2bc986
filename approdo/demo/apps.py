from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "approdo.demo"
    verbose_name = "Dati dimostrativi"
