from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "approdo.portal"
    verbose_name = "Portale di iscrizione"

    def ready(self):
        from auditlog.registry import auditlog

        from . import timeline  # noqa: F401 (registers the timeline source)
        from .models import PortalRegistration

        auditlog.register(PortalRegistration, exclude_fields=["submitted_data"])
