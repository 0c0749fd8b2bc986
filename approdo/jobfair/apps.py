from django.apps import AppConfig


class JobfairConfig(AppConfig):
    name = "approdo.jobfair"
    verbose_name = "Fiera del lavoro"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Booking, JobFair, Stand

        for model in (JobFair, Stand, Booking):
            auditlog.register(model)
