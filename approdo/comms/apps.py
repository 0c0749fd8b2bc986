from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "approdo.comms"
    verbose_name = "Comunicazioni"

    def ready(self):
        from auditlog.registry import auditlog

        from approdo.accounts.mail import register_sender

        from . import sections  # noqa: F401 (registers its page sections)
        from .models import OutboundDocument
        from .services import queue_email

        # A person's document sent outside the programme is a disclosure: logged.
        auditlog.register(OutboundDocument)
        register_sender(
            lambda *, to, template, context: queue_email(
                to=to, kind="account", template=template, context=context
            )
        )
