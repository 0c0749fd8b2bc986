"""The yearly report as rows (CSV, XLSX): one figure per row, nested values flattened."""

import csv
import io

from openpyxl import Workbook


def report_rows(report: dict) -> list[tuple[str, str, object]]:
    """(indicator, detail, value) rows; a nested value gives one row per key."""
    rows = []

    def walk(name: str, detail: str, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(name, f"{detail} / {key}" if detail else str(key), inner)
        elif isinstance(value, list):
            for position, item in enumerate(value, start=1):
                walk(name, f"{detail} / {position}" if detail else str(position), item)
        else:
            rows.append((name, detail, value))

    for key, value in report.items():
        if key != "year":
            walk(key, "", value)
    return rows


def report_csv(report: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["indicatore", "dettaglio", "valore"])
    for name, detail, value in report_rows(report):
        writer.writerow([name, detail, "" if value is None else value])
    return buffer.getvalue().encode("utf-8-sig")


def report_xlsx(report: dict) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Anno {report['year']}")
    sheet.append(["Indicatore", "Dettaglio", "Valore"])
    for row in report_rows(report):
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
