from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "approdo.placements"
    verbose_name = "Inserimenti"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Placement

        auditlog.register(Placement)
