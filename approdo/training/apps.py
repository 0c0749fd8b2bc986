from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "approdo.training"
    verbose_name = "Formazione"

    def ready(self):
        from auditlog.registry import auditlog

        from approdo.accounts.roles import VIEW_SENSITIVE_NOTES
        from approdo.audit.restricted import restrict_audit

        from .models import Course, Participation, ProgrammePath

        for model in (Course, Participation, ProgrammePath):
            auditlog.register(model)
        restrict_audit(ProgrammePath, capability=VIEW_SENSITIVE_NOTES)  # who is in IPS
