from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "approdo.projects"
    verbose_name = "Progetti, fondo di garanzia e bandi"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, sections  # noqa: F401 (sections: the person's projects)

        for model in (
            models.Project,
            models.ProjectStateChange,
            models.ProjectMeeting,
            models.ProjectDocument,
            models.Payment,
            models.FundMovement,
            models.FundSettings,
            models.CommitteeSession,
            models.CommitteeDecision,
            models.ProjectCall,
            models.CallCriterion,
            models.CallScore,
            models.GrantCall,
            models.GrantApplication,
            models.GrantInstalment,
            models.GrantDocument,
        ):
            auditlog.register(model)
