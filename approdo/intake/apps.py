from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "approdo.intake"
    verbose_name = "Accoglienza e colloqui"

    def ready(self):
        from auditlog.registry import auditlog

        from . import sections, timeline  # noqa: F401 (they register themselves)
        from .models import AgendaSlot, CalendarFeed, Closure, Interview

        auditlog.register(AgendaSlot)
        auditlog.register(Interview)
        auditlog.register(Closure)
        # That a feed was created or revoked is logged; its secret and its reads are not.
        auditlog.register(CalendarFeed, exclude_fields=["token_hash", "last_read_at"])
