from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "approdo.matching"
    verbose_name = "Abbinamento e selezioni"

    def ready(self):
        from auditlog.registry import auditlog

        from approdo.core.serving import on_worker_start

        from . import exports, pool, sections, timeline  # noqa: F401 (they register themselves)
        from .models import Candidacy, MatchingWeights

        on_worker_start(pool.warm_up)
        auditlog.register(Candidacy)
        auditlog.register(MatchingWeights)
