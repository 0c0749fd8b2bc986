from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "approdo.intake"
    verbose_name = "Accoglienza e colloqui"

    def ready(self):
        from auditlog.registry import auditlog

        from . import sections, timeline  # noqa: F401 (they register themselves)
        from .models import AgendaSlot, Interview

        auditlog.register(AgendaSlot)
        auditlog.register(Interview)
