from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "approdo.training"
    verbose_name = "Formazione"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Course, Participation, ProgrammePath

        for model in (Course, Participation, ProgrammePath):
            auditlog.register(model)
