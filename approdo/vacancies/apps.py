from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "approdo.vacancies"
    verbose_name = "Richieste di personale"

    def ready(self):
        from auditlog.registry import auditlog

        from . import exports  # noqa: F401 (registers the list's file kind)
        from .models import Requirement, Vacancy

        auditlog.register(Vacancy)
        auditlog.register(Requirement)
