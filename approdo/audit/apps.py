from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "approdo.audit"
    verbose_name = "Registro attività"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Incident

        auditlog.register(Incident)
