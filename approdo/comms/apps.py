from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "approdo.comms"
    verbose_name = "Comunicazioni"
