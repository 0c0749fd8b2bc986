from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "approdo.placements"
    verbose_name = "Inserimenti"

    def ready(self):
        from auditlog.registry import auditlog

        from . import (
            exports,  # noqa: F401 (registers the list's file kind)
            timeline,  # noqa: F401 (registers the timeline source)
        )
        from .models import Placement, StipendPayment

        auditlog.register(Placement)
        auditlog.register(StipendPayment)
