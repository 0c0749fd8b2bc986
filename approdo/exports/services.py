"""Files made by the worker outside the web root: filtered lists (formula-safe cells) and
the yearly report; each kind says which capability may ask for it and download it."""

import csv
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from approdo.people.selectors import filter_people
from approdo.places.geography import citizenship_area

from .models import Export

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "|", "%")

PEOPLE_COLUMNS = (
    ("ID", lambda p: p.pk),
    ("Cognome", lambda p: p.last_name),
    ("Nome", lambda p: p.first_name),
    ("Codice fiscale", lambda p: p.fiscal_code or ""),
    ("Sesso", lambda p: p.sex),
    ("Data di nascita", lambda p: p.birth_date),
    ("Cittadinanza", lambda p: p.citizenship),
    ("Area cittadinanza", lambda p: citizenship_area(p.citizenship)),
    ("Comune di residenza", lambda p: p.residence_comune.name),
    ("E-mail", lambda p: p.email),
    ("Telefono", lambda p: p.phone),
    ("Data di iscrizione", lambda p: timezone.localtime(p.registered_at).date()),
    ("Canale", lambda p: p.get_channel_display()),
    ("Stato", lambda p: p.get_status_display()),
    ("Motivo fuori protocollo", lambda p: p.get_exit_reason_display()),
    ("Esito primo colloquio", lambda p: p.get_first_interview_outcome_display()),
    ("Valutazione", lambda p: p.get_readiness_display()),
    ("Giorni di attesa", lambda p: p.waiting.days),
    ("Patenti e attestati", lambda p: " ".join(p.licences)),
    ("Livello italiano", lambda p: p.italian_level),
)


COMPANY_COLUMNS = (
    ("ID", lambda c: c.pk),
    ("Ragione sociale", lambda c: c.name),
    ("Partita IVA", lambda c: c.vat_number or ""),
    ("Codice fiscale", lambda c: c.fiscal_code),
    ("Famiglia privata", lambda c: "sì" if c.is_private_family else "no"),
    ("Codice ATECO", lambda c: c.ateco_code),
    ("Sezione ATECO", lambda c: c.sector),
    ("Comune", lambda c: c.comune.name if c.comune else ""),
    ("Primo contatto", lambda c: c.first_contact_on),
    ("Nel Board", lambda c: "sì" if c.in_board else "no"),
    ("Richieste aperte", lambda c: c.open_requests),
    ("Inserimenti nell'anno", lambda c: c.placements_this_year),
)


def _export_kinds():
    from approdo.companies.selectors import filter_companies

    return {
        "persone": (filter_people, PEOPLE_COLUMNS, "Persone"),
        "aziende": (filter_companies, COMPANY_COLUMNS, "Aziende"),
    }


def neutralise_formula(value):
    """Text that a spreadsheet would execute is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value):
    if isinstance(value, (date, datetime, int, float)) or value is None:
        return value
    return neutralise_formula(str(value))


@transaction.atomic
def request_export(*, user, kind: str, filters: dict, file_format: str) -> Export:
    """Queue an export of a list (people, companies) with these filters."""
    from .tasks import build_export

    export = Export.objects.create(
        requested_by=user, kind=kind, filters=filters, file_format=file_format
    )
    build_export.enqueue(export_id=str(export.pk))
    return export


def export_path(export: Export):
    return settings.EXPORTS_DIR / f"{export.pk}.{export.file_format}"


def _file_writers() -> dict:
    """Each kind of file: the capability needed to ask for it and download it, and the
    function that writes it to a path and returns (rows or None, file name)."""
    from approdo.accounts.roles import EXPORT_PEOPLE, VIEW_FIGURES
    from approdo.reports.services import REPORT_KIND, write_annual_report_file

    return {
        "persone": (EXPORT_PEOPLE, write_list),
        "aziende": (EXPORT_PEOPLE, write_list),
        REPORT_KIND: (VIEW_FIGURES, write_annual_report_file),
    }


def required_capability(export: Export) -> str:
    return _file_writers()[export.kind][0]


def build_file(export: Export) -> None:
    """Write the export's file (a list, the yearly report) outside the web root."""
    export.status = Export.Status.RUNNING
    export.save(update_fields=["status"])
    path = export_path(export)
    path.parent.mkdir(parents=True, exist_ok=True)
    row_count, file_name = _file_writers()[export.kind][1](export, path)
    export.status = Export.Status.DONE
    export.row_count = row_count
    export.finished_at = timezone.now()
    export.file_name = file_name
    export.save(update_fields=["status", "row_count", "finished_at", "file_name"])


def write_list(export: Export, path) -> tuple[int, str]:
    """A filtered list; rows stream from the database in chunks."""
    select, columns, sheet_title = _export_kinds()[export.kind]
    records = select(**export.filters).iterator(chunk_size=2000)
    rows = ([_cell(getter(record)) for _, getter in columns] for record in records)
    header = [title for title, _ in columns]
    count = 0
    if export.file_format == Export.Format.CSV:
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(header)
            for row in rows:
                writer.writerow(["" if value is None else value for value in row])
                count += 1
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(sheet_title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
            count += 1
        workbook.save(path)
    return count, f"{export.kind}-{timezone.localdate():%Y%m%d}.{export.file_format}"
