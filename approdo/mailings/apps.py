from django.apps import AppConfig


class MailingsConfig(AppConfig):
    name = "approdo.mailings"
    verbose_name = "Invii di massa"

    def ready(self):
        from auditlog.registry import auditlog

        from . import sections  # noqa: F401 (registers its page sections)
        from .models import Mailing, MailingTemplate

        for model in (Mailing, MailingTemplate):
            auditlog.register(model)
