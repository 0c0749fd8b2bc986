from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "approdo.audit"
    verbose_name = "Registro attività"
