from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "approdo.partners"
    verbose_name = "Partner del programma"

    def ready(self):
        from auditlog.registry import auditlog

        from . import sections  # noqa: F401 (registers the person's referrals section)
        from .models import Agreement, Partner, PartnerContact, Referral

        for model in (Partner, PartnerContact, Agreement, Referral):
            auditlog.register(model)
