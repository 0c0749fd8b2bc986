from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "approdo.vacancies"
    verbose_name = "Richieste di personale"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Requirement, Vacancy

        auditlog.register(Vacancy)
        auditlog.register(Requirement)
