from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "approdo.people"
    verbose_name = "Persone"

    def ready(self):
        from auditlog.registry import auditlog

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
        ):
            auditlog.register(model)
