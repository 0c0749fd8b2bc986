"""The requests list as a file made by the worker (see approdo/exports/registry.py)."""

from django.urls import reverse

from approdo.accounts.roles import EXPORT_PEOPLE
from approdo.exports.registry import FileKind, register_file_kind
from approdo.exports.services import LIST_FORMATS, list_writer

from .forms import VacancyFilterForm
from .selectors import filter_vacancies

VACANCY_COLUMNS = (
    ("ID", lambda v: v.pk),
    ("Mansione", lambda v: v.job_title),
    ("Professione", lambda v: v.occupation.name if v.occupation else ""),
    ("Azienda", lambda v: v.company.name),
    ("Partita IVA", lambda v: v.company.vat_number or ""),
    ("Luogo di lavoro", lambda v: v.workplace.name if v.workplace else ""),
    ("Tipologia", lambda v: v.get_placement_type_display()),
    ("Contratto", lambda v: v.get_contract_display() if v.contract else ""),
    ("Ore settimanali", lambda v: v.weekly_hours),
    ("Posti", lambda v: v.positions),
    ("Stato", lambda v: v.get_status_display()),
    ("Data della richiesta", lambda v: v.requested_on),
    ("Inizio previsto", lambda v: v.start_on),
    ("Candidati", lambda v: v.candidate_count),
    ("Inserimenti", lambda v: v.placement_count),
)

register_file_kind(
    FileKind(
        slug="richieste",
        label="Elenco delle richieste di personale",
        formats=LIST_FORMATS,
        capability=EXPORT_PEOPLE,
        write=list_writer(
            select=filter_vacancies, columns=VACANCY_COLUMNS, sheet_title="Richieste"
        ),
        filter_form=VacancyFilterForm,
        back=lambda export: ("Torna all'elenco", reverse("vacancies:list")),
    )
)
