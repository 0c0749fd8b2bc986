from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "approdo.matching"
    verbose_name = "Abbinamento e selezioni"

    def ready(self):
        from auditlog.registry import auditlog

        from . import exports, sections, timeline  # noqa: F401 (they register themselves)
        from .models import Candidacy, MatchingWeights

        auditlog.register(Candidacy)
        auditlog.register(MatchingWeights)
