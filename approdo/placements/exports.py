"""The placements list as a file made by the worker (see approdo/exports/registry.py)."""

from django.urls import reverse

from approdo.accounts.roles import EXPORT_PEOPLE
from approdo.exports.registry import FileKind, register_file_kind
from approdo.exports.services import LIST_FORMATS, list_writer

from .forms import PlacementFilterForm
from .selectors import filter_placements, visible_placements

PLACEMENT_COLUMNS = (
    ("ID", lambda p: p.pk),
    ("Scheda", lambda p: p.person_id),
    ("Cognome", lambda p: p.person.last_name),
    ("Nome", lambda p: p.person.first_name),
    ("Azienda", lambda p: p.company.name),
    ("Partita IVA", lambda p: p.company.vat_number or ""),
    ("Mansione", lambda p: p.job_title),
    ("Professione", lambda p: p.occupation.name if p.occupation else ""),
    ("Tipologia", lambda p: p.get_placement_type_display()),
    ("Contratto", lambda p: p.get_contract_display() if p.contract else ""),
    ("Ore settimanali", lambda p: p.weekly_hours),
    ("Inizio", lambda p: p.start_on),
    ("Fine", lambda p: p.end_on),
    ("Rinnovo o trasformazione di", lambda p: p.continues_id),
    ("Esito dello stage", lambda p: p.get_stage_outcome_display() if p.stage_outcome else ""),
    ("Indennità pagate (€)", lambda p: p.stipends_paid),
    ("Concluso in anticipo il", lambda p: p.ended_early_on),
    ("Motivo", lambda p: p.get_end_reason_display() if p.end_reason else ""),
    ("Richiesta", lambda p: p.vacancy_id),
)

register_file_kind(
    FileKind(
        slug="inserimenti",
        label="Elenco degli inserimenti",
        formats=LIST_FORMATS,
        capability=EXPORT_PEOPLE,
        write=list_writer(
            select=filter_placements,
            columns=PLACEMENT_COLUMNS,
            sheet_title="Inserimenti",
            scoped=visible_placements,
        ),
        filter_form=PlacementFilterForm,
        back=lambda export: ("Torna all'elenco", reverse("placements:list")),
    )
)
