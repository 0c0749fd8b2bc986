"""The yearly report as files: CSV and XLSX rows (one figure per row), XLSX charts, PDF."""

import csv
import io
import re
import zipfile
from xml.sax.saxutils import quoteattr

from django.urls import reverse
from django.utils.dates import MONTHS
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.styles import Font

from approdo.accounts.roles import VIEW_FIGURES
from approdo.exports.registry import FileKind, register_file_kind
from approdo.exports.services import neutralise_formula
from approdo.ui.pdf import render_pdf

from . import charts
from .indicators import INDICATORS, annual_report

# Italian names of the keys inside the figures; the indicators' titles come from their
# definitions (indicators.py), so the file, the page and the manual use the same words.
DETAIL_LABELS = {
    "median": "mediana (giorni)",
    "p90": "90° percentile (giorni)",
    "placements": "inserimenti",
    "permanent_share": "quota a tempo indeterminato",
    "participants": "partecipanti",
    "employed": "occupati",
    "placement_rate": "tasso di inserimento",
    "employment_rate": "tasso di occupazione",
    "people": "persone",
    "by_contract": "per contratto",
    "self_employed": "lavoro autonomo",
    "new": "nuovi",
    "extensions": "proroghe",
    "transformed_fixed_term": "trasformati a tempo determinato",
    "transformed_permanent": "trasformati a tempo indeterminato",
    "opened": "aperti",
    "closed": "chiusi",
    "closed_by_reason": "chiusi per motivo",
    "active_at_end": "attivi alla fine del periodo",
    "people_followed": "persone seguite",
    "median_closed_days": "durata mediana dei chiusi (giorni)",
    "qualified": "qualificati",
    "qualified_placements": "inserimenti dei qualificati",
    "qualified_employed": "occupati tra i qualificati",
    "submitted_to_date": "candidati dall'avvio",
    "submitted_by_year": "candidati per anno",
    "proposers_to_date": "proponenti dall'avvio",
    "by_state": "per stato",
    "paid_to_date": "erogato dall'avvio (euro)",
    "assessed_to_date": "valutati dall'avvio",
    "selected_to_date": "selezionati dall'avvio",
    "approved": "approvato dal comitato nell'anno (euro)",
    "paid": "erogato nell'anno (euro)",
    "microcredit": "microcredito nell'anno (euro)",
    "jobs_to_date": "posti di lavoro creati dall'avvio",
    "stages_to_date": "stage attivati dall'avvio",
    "ceiling": "plafond (euro)",
    "guaranteed_to_date": "garanzie date dall'avvio (euro)",
    "outstanding": "impegnato (euro)",
    "available": "disponibile (euro)",
    "called_to_date": "escusso dall'avvio (euro)",
}
# Parts of the report that are not indicators of their own.
SECTION_TITLES = {
    "registrations_by_month": "Iscrizioni per mese",
    "trend": "Inserimenti negli anni",
}


def _title(key: str, year: int) -> str:
    generic = key.replace(f"_{year}", "_YYYY").replace(f"{year}_", "YYYY_")
    titles = {indicator.key: indicator.title for indicator in INDICATORS}
    return titles.get(generic) or SECTION_TITLES.get(key) or key


def _detail(key: str, section: str) -> str:
    if section == "registrations_by_month" and key.isdigit():
        return str(MONTHS[int(key)]).lower()
    # Keys of the year (approved_2025) read as their plain name.
    return DETAIL_LABELS.get(re.sub(r"_\d{4}$", "", key), key)


def report_rows(report: dict) -> list[tuple[str, str, object, bool]]:
    """(indicator, detail, value, is a share) rows, one figure each, in Italian; a nested
    value gives one row per key, a ranking (top companies) one row per name."""
    rows = []

    def walk(title: str, section: str, detail: str, value, share: bool):
        if isinstance(value, dict):
            for key, inner in value.items():
                label = _detail(str(key), section)
                walk(
                    title,
                    section,
                    f"{detail} · {label}" if detail else label,
                    inner,
                    share or "share" in str(key) or "rate" in str(key),
                )
        elif isinstance(value, list) and all(
            isinstance(item, list | tuple) and len(item) == 2 for item in value
        ):
            for name, number in value:
                walk(title, section, f"{detail} · {name}" if detail else str(name), number, share)
        else:
            rows.append((title, neutralise_formula(detail), neutralise_formula(value), share))

    for key, value in report.items():
        if key != "year":
            walk(_title(key, report["year"]), key, "", value, "share" in key)
    return rows


def report_csv(report: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["indicatore", "dettaglio", "valore"])
    for name, detail, value, _ in report_rows(report):
        writer.writerow([name, detail, "" if value is None else value])
    return buffer.getvalue().encode("utf-8-sig")


def report_xlsx(report: dict) -> bytes:
    """A sheet with every figure, then one sheet per chart: its table and a native chart."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Anno {report['year']}"
    sheet.append(["Indicatore", "Dettaglio", "Valore"])
    for name, detail, value, is_share in report_rows(report):
        sheet.append([name, detail, value])
        if is_share:
            sheet.cell(row=sheet.max_row, column=3).number_format = "0.0%"
    _bold_header(sheet)
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 40
    described = charts.annual_charts(report)
    for chart in described:
        _chart_sheet(workbook, chart)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _with_alt_text(
        buffer.getvalue(),
        [
            f"{chart.title}: i valori sono nella tabella a sinistra del grafico"
            for chart in described
        ],
    )


def _with_alt_text(xlsx: bytes, descriptions: list[str]) -> bytes:
    """Give each chart its alternative text (openpyxl writes none): the n-th drawing of the
    file is the n-th chart sheet's."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            drawing = DRAWING_NAME.fullmatch(item.filename)
            if drawing and int(drawing[1]) <= len(descriptions):
                text = quoteattr(descriptions[int(drawing[1]) - 1])
                data = re.sub(
                    rb'<cNvPr id="(\d+)" name="([^"]*)"',
                    lambda match, text=text: match[0] + b" descr=" + text.encode(),
                    data,
                    count=1,
                )
            target.writestr(item, data)
    return target_buffer.getvalue()


DRAWING_NAME = re.compile(r"xl/drawings/drawing(\d+)\.xml")


def _bold_header(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def _chart_sheet(workbook, chart: charts.Chart) -> None:
    sheet = workbook.create_sheet(chart.slug)
    sheet.append(["", *(name for name, _ in chart.series)])
    for position, label in enumerate(chart.labels):
        sheet.append([neutralise_formula(label), *(values[position] for _, values in chart.series)])
    _bold_header(sheet)
    sheet.column_dimensions["A"].width = 30
    for column, (name, _) in enumerate(chart.series, start=2):
        if name in chart.percent_series:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = "0.0%"
    last_row = len(chart.labels) + 1
    labels = Reference(sheet, min_col=1, min_row=2, max_row=last_row)
    if chart.kind == "pie":
        drawing = PieChart()
    else:
        drawing = BarChart()
        drawing.y_axis.title = chart.series[0][0]
    drawing.title = chart.title
    drawing.add_data(
        Reference(sheet, min_col=2, min_row=1, max_row=last_row), titles_from_data=True
    )
    drawing.set_categories(labels)
    if chart.percent_series:  # the share as a line on a second axis
        line = LineChart()
        line.add_data(
            Reference(sheet, min_col=3, min_row=1, max_row=last_row), titles_from_data=True
        )
        line.y_axis.axId = 200
        line.y_axis.title = "Quota"
        line.y_axis.number_format = "0%"
        line.y_axis.crosses = "max"
        drawing += line
    drawing.width, drawing.height = 18, 9
    sheet.add_chart(drawing, "E2")


def report_pdf(report: dict) -> bytes:
    """The yearly report as the board reads it: the page's figures and charts, printed."""
    from .services import annual_context

    return render_pdf("reports/annual_pdf.html", annual_context(report))


REPORT_KIND = "rapporto-annuale"
REPORT_FORMATS = ("pdf", "xlsx")


def write_annual_report_file(export, path) -> tuple[None, str]:
    """The PDF or XLSX of the year, written by the worker."""
    year = export.filters["year"]
    report = annual_report(year)
    path.write_bytes(report_pdf(report) if export.file_format == "pdf" else report_xlsx(report))
    return None, f"anno-in-numeri-{year}.{export.file_format}"


register_file_kind(
    FileKind(
        slug=REPORT_KIND,
        label="L'anno in numeri",
        formats=REPORT_FORMATS,
        capability=VIEW_FIGURES,
        write=write_annual_report_file,
        heading=lambda export: (
            f"L'anno in numeri {export.filters['year']}: file {export.get_file_format_display()}"
        ),
        back=lambda export: (
            "Torna al rapporto",
            reverse("reports:annual", args=[export.filters["year"]]),
        ),
    )
)
