from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "approdo.comms"
    verbose_name = "Comunicazioni"

    def ready(self):
        from . import sections  # noqa: F401 (registers its page sections)
