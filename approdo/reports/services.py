"""The yearly report as files (PDF, XLSX), written by the worker for who asked."""

from django.db import transaction
from django.utils import timezone

from approdo.exports.models import Export

from . import charts
from .indicators import annual_report, definitions_by_key

FIRST_YEAR = 2000
FILE_FORMATS = {"pdf": "PDF", "xlsx": "Excel (XLSX)"}
REPORT_KIND = "rapporto-annuale"


def annual_context(report: dict) -> dict:
    """What the page and the PDF show: figures by plain names, charts, definitions."""
    year = report["year"]
    y = str(year)
    previous = str(year - 1)
    return {
        "year": year,
        "previous_year": year - 1,
        "report": report,
        # "first_interviews_2025" -> "first_interviews", "placements_2025_by_type" -> ...
        "this": {
            key.replace(f"_{y}_", "_").removesuffix(f"_{y}"): value
            for key, value in report.items()
            if y in key
        },
        "registrations": (report["registrations"][previous], report["registrations"][y]),
        "permanent_share": (
            report["permanent_share_of_hirings"][previous],
            report["permanent_share_of_hirings"][y],
        ),
        "board": (report["board"][previous], report["board"][y]),
        "charts": [(chart, charts.svg_data_uri(chart)) for chart in charts.annual_charts(report)],
        "definitions": definitions_by_key(),
        "made_on": timezone.localdate(),
    }


@transaction.atomic
def request_annual_report_file(*, user, year: int, file_format: str) -> Export:
    from approdo.exports.tasks import build_export

    export = Export.objects.create(
        requested_by=user, kind=REPORT_KIND, filters={"year": year}, file_format=file_format
    )
    build_export.enqueue(export_id=str(export.pk))
    return export


def write_annual_report_file(export: Export, path) -> tuple[None, str]:
    """The worker's half of `request_annual_report_file`: the PDF or XLSX of the year."""
    from .exports import report_pdf, report_xlsx

    year = export.filters["year"]
    report = annual_report(year)
    path.write_bytes(report_pdf(report) if export.file_format == "pdf" else report_xlsx(report))
    return None, f"anno-in-numeri-{year}.{export.file_format}"
