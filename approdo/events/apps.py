from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "approdo.events"
    verbose_name = "Eventi"

    def ready(self):
        from auditlog.registry import auditlog

        from . import sections  # noqa: F401 (the person's file)
        from .models import Event, Registration, Session, Speaker

        for model in (Event, Session, Speaker, Registration):
            auditlog.register(model)
