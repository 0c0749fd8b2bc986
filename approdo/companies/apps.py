from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "approdo.companies"
    verbose_name = "Aziende"

    def ready(self):
        from auditlog.registry import auditlog

        from . import (
            exports,  # noqa: F401 (registers the list's file kind)
            models,
        )

        for model in (
            models.Company,
            models.CompanySite,
            models.CompanyContact,
            models.BoardMembership,
            models.CompanyInteraction,
        ):
            auditlog.register(model)
