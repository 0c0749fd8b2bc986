from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "approdo.people"
    verbose_name = "Persone"

    def ready(self):
        from auditlog.registry import auditlog

        from approdo.accounts.roles import VIEW_SENSITIVE_NOTES
        from approdo.audit.restricted import restrict_audit

        from . import (
            exports,  # noqa: F401 (registers the list's file kind)
            models,
            timeline,  # noqa: F401 (registers the timeline source)
        )

        for model in (
            models.Person,
            models.WorkExperience,
            models.StatusChange,
            models.ContactAttempt,
            models.SensitiveNote,
            models.Document,
            models.DocumentVersion,
            models.CurriculumText,
            models.Consent,
            models.RightsRequest,
            models.BreakGlassAccess,
            models.Reassessment,
        ):
            auditlog.register(model)
        # Health-related paths and notes: their content only for IPS specialists.
        restrict_audit(models.SensitiveNote, capability=VIEW_SENSITIVE_NOTES)
        restrict_audit(models.Person, capability=VIEW_SENSITIVE_NOTES, fields=("in_ips_path",))
