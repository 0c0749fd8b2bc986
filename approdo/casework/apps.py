from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "approdo.casework"
    verbose_name = "Lavoro quotidiano"

    def ready(self):
        from auditlog.registry import auditlog

        from approdo.accounts.roles import VIEW_SENSITIVE_NOTES
        from approdo.audit.restricted import restrict_audit
        from approdo.portal.signals import registration_repeated

        from . import (
            sections,  # noqa: F401 (registers the desk's and the file's sections)
            timeline,  # noqa: F401 (registers the timeline source)
        )
        from .models import Note, Task
        from .services import raise_registration_review

        # A repeated online registration is a task for the person's case manager.
        registration_repeated.connect(
            lambda sender, registration, **kwargs: raise_registration_review(
                registration=registration
            ),
            weak=False,
            dispatch_uid="casework.registration_review",
        )
        auditlog.register(Task)
        auditlog.register(Note)
        # A restricted note's text only for those who may read it (see Note.is_restricted).
        restrict_audit(Note, capability=VIEW_SENSITIVE_NOTES, fields=("text",))
