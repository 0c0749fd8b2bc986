from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "approdo.surveys"
    verbose_name = "Questionari"

    def ready(self):
        from auditlog.registry import auditlog

        from . import exports, sections, services  # noqa: F401 (files, page sections, audiences)
        from .models import Invitation, Question, Survey

        for model in (Survey, Question, Invitation):
            auditlog.register(model)
