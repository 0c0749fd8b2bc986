from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "approdo.portal"
    verbose_name = "Portale di iscrizione"

    def ready(self):
        from auditlog.registry import auditlog

        from . import sections, timeline  # noqa: F401 (they register themselves)
        from .models import PendingDocument, PortalRegistration

        auditlog.register(PortalRegistration, exclude_fields=["submitted_data"])
        auditlog.register(PendingDocument)
