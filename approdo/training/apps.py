from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "approdo.training"
    verbose_name = "Formazione e percorsi IPS"

    def ready(self):
        from auditlog.registry import auditlog

        from approdo.accounts.roles import VIEW_SENSITIVE_NOTES
        from approdo.audit.restricted import restrict_audit

        from . import sections  # noqa: F401 (registers the person's and partner's sections)
        from .models import (
            Attendance,
            CatalogueCourse,
            Course,
            CourseCommitment,
            CourseSession,
            EmployerContact,
            Participation,
            PathPhaseChange,
            ProgrammePath,
        )

        for model in (
            CatalogueCourse,
            Course,
            CourseCommitment,
            CourseSession,
            Participation,
            Attendance,
            ProgrammePath,
            PathPhaseChange,
            EmployerContact,
        ):
            auditlog.register(model)
        # Who is in IPS, and everything about their path: special-category data.
        for model in (ProgrammePath, PathPhaseChange, EmployerContact):
            restrict_audit(model, capability=VIEW_SENSITIVE_NOTES)
