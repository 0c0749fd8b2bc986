from django.apps import AppConfig


class OccupationsConfig(AppConfig):
    name = "approdo.occupations"
    verbose_name = "Professioni"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Occupation

        auditlog.register(Occupation)
