"""Reading the legacy export: its CSV dialect and its Italian conventions (see FORMAT.md)."""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATE_PATTERN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass
class SourceRow:
    file: str
    line: int  # where the record starts in the file (1 = the header)
    values: dict[str, str]
    raw: list[str] = field(default_factory=list)


class FieldError(ValueError):
    """A value that cannot be read; the message says why, in Italian."""


def read_rows(path: Path) -> tuple[list[str], list[SourceRow]]:
    """The header and the records of one file (UTF-8 with or without BOM, ';', '"')."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";", quotechar='"')
        header = [column.strip().lower() for column in next(reader, [])]
        rows = []
        start = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                values = {
                    column: (record[index] if index < len(record) else "")
                    for index, column in enumerate(header)
                }
                rows.append(SourceRow(path.name, start, values, record))
            start = reader.line_num + 1
    return header, rows


def text(value: str) -> str:
    return " ".join(value.split())


def enum(value: str, allowed: list[str] | tuple[str, ...], *, required: bool = True) -> str:
    """An enumerated value, whatever its case and surrounding spaces."""
    cleaned = text(value).lower()
    if not cleaned:
        if required:
            raise FieldError("valore mancante")
        return ""
    for option in allowed:
        if option.lower() == cleaned:
            return option
    raise FieldError("valore non previsto (ammessi: " + ", ".join(allowed) + ")")


def day(value: str, *, required: bool = False) -> date | None:
    cleaned = value.strip()
    if not cleaned:
        if required:
            raise FieldError("data mancante")
        return None
    match = DATE_PATTERN.match(cleaned)
    if not match:
        raise FieldError("data non nel formato GG/MM/AAAA")
    try:
        return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError as error:
        raise FieldError("data inesistente") from error


def integer(value: str, *, required: bool = False, minimum: int | None = None) -> int | None:
    cleaned = value.strip()
    if not cleaned:
        if required:
            raise FieldError("numero mancante")
        return None
    if not cleaned.lstrip("-").isdigit():
        raise FieldError("non è un numero intero")
    number = int(cleaned)
    if minimum is not None and number < minimum:
        raise FieldError(f"deve essere almeno {minimum}")
    return number


def decimal(value: str) -> Decimal | None:
    cleaned = value.strip()
    if not cleaned:
        return None
    try:
        return Decimal(cleaned.replace(".", "").replace(",", ".") if "," in cleaned else cleaned)
    except InvalidOperation as error:
        raise FieldError("non è un importo (es. 1250,50)") from error


def yes_no(value: str) -> bool:
    cleaned = value.strip().upper()
    if cleaned not in {"S", "N", ""}:
        raise FieldError("atteso S o N")
    return cleaned == "S"


def many(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]
