from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "approdo.projects"
    verbose_name = "Progetti, fondo di garanzia e bandi"

    def ready(self):
        from auditlog.registry import auditlog

        from . import sections  # noqa: F401 (registers the person's projects section)
        from .models import (
            CommitteeDecision,
            CommitteeSession,
            FundMovement,
            GrantApplication,
            GrantCall,
            Payment,
            Project,
            ProjectCall,
            ProjectMeeting,
        )

        for model in (
            Project,
            ProjectMeeting,
            Payment,
            FundMovement,
            CommitteeSession,
            CommitteeDecision,
            ProjectCall,
            GrantCall,
            GrantApplication,
        ):
            auditlog.register(model)
