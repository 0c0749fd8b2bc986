"""Files made by the worker outside the web root, for the user who asked.

What a file contains is up to the app that registered its kind (registry.py);
this module queues the request, runs the writer and offers the building block of
filtered lists (formula-safe cells, rows streamed from the database).
"""

import csv
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from approdo.audit.models import SecurityAlert
from approdo.audit.services import raise_alert
from approdo.core.files import atomic_path

from .models import Export
from .registry import FileKind, file_kind

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "|", "%")

Column = tuple[str, Callable]


def neutralise_formula(value):
    """Text that a spreadsheet would execute is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        # Local time, as on the pages (spreadsheets know no time zones).
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (date, datetime, int, float, Decimal)) or value is None:
        return value
    return neutralise_formula(str(value))


def kind_of(export: Export) -> FileKind:
    kind = file_kind(export.kind)
    if kind is None:
        raise ValidationError(f"Tipo di file sconosciuto: «{export.kind}».")
    return kind


@transaction.atomic
def request_export(*, user, kind: str, filters: dict, file_format: str) -> Export:
    """Queue a file of a registered kind for the worker; the user's role must allow it."""
    from .tasks import build_export

    declared = file_kind(kind)
    if declared is None:
        raise ValidationError(f"Tipo di file sconosciuto: «{kind}».")
    if not user.can(declared.capability):
        raise PermissionDenied("Il suo ruolo non consente questa esportazione.")
    if file_format not in declared.formats:
        raise ValidationError(f"Formato non previsto per questo file: «{file_format}».")
    export = Export.objects.create(
        requested_by=user, kind=kind, filters=filters, file_format=file_format
    )
    build_export.enqueue(export_id=str(export.pk))
    return export


def export_path(export: Export):
    return settings.EXPORTS_DIR / f"{export.pk}.{export.file_format}"


def required_capability(export: Export) -> str:
    return kind_of(export).capability


def build_file(export: Export) -> None:
    """Write the export's file with its kind's writer, outside the web root."""
    writer = kind_of(export).write
    export.status = Export.Status.RUNNING
    export.save(update_fields=["status"])
    # Written under a temporary name and renamed when whole: a killed worker or a full disk
    # leaves no partial file of personal data behind.
    with atomic_path(export_path(export)) as part:
        row_count, file_name = writer(export, part)
    export.status = Export.Status.DONE
    export.row_count = row_count
    export.finished_at = timezone.now()
    export.file_name = file_name
    export.save(update_fields=["status", "row_count", "finished_at", "file_name"])
    if row_count is not None and row_count >= settings.EXPORT_ALERT_ROWS:
        raise_alert(
            kind=SecurityAlert.Kind.EXPORT,
            user=export.requested_by,
            detail=f"{export.requested_by} ha esportato {row_count} righe "
            f"({kind_of(export).label}).",
        )


def list_writer(
    *,
    select: Callable,
    columns: Sequence[Column],
    sheet_title: str,
    scoped: Callable | None = None,
):
    """The writer of a filtered list: `select(**filters)` gives the rows (a queryset or any
    iterable), `columns` the cells; `scoped(user, rows)` narrows them to what the user who
    asked may read."""

    def write(export: Export, path) -> tuple[int, str]:
        records = select(**export.filters)
        if scoped is not None:
            records = scoped(export.requested_by, records)
        if hasattr(records, "iterator"):  # a queryset: streamed, not loaded whole
            records = records.iterator(chunk_size=2000)
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

    return write


LIST_FORMATS = (Export.Format.CSV, Export.Format.XLSX)
