from django.apps import AppConfig


class AreaConfig(AppConfig):
    name = "approdo.area"
    verbose_name = "Area personale"

    def ready(self):
        from auditlog.registry import auditlog

        from . import sections  # noqa: F401 (the person's file shows changes in waiting)
        from .models import AreaMessage, ProfileChange

        for model in (AreaMessage, ProfileChange):
            auditlog.register(model)
