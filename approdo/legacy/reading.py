"""Reading the legacy export: its CSV dialect and its Italian conventions (see FORMAT.md)."""

import csv
import io
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


class FileError(ValueError):
    """A file that cannot be read as the format says; the message says why, in Italian."""


@dataclass
class SourceFile:
    """One file of the export as read: its header, its records, what was noticed on the way."""

    header: list[str]
    rows: list[SourceRow]
    # (line, reason) of records that could not be read at all
    unreadable: list[tuple[int, str]] = field(default_factory=list)
    # notes on the whole file (encoding, separator), imported anyway
    notes: list[str] = field(default_factory=list)


SEPARATORS = {";": "punto e virgola", ",": "virgola", "\t": "tabulazione", "|": "barra verticale"}


def _decode(data: bytes, notes: list[str]) -> str:
    """UTF-8 (with or without BOM) as the format says; Windows-1252/Latin-1 said and read."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(
            "il file non è in UTF-8: è stato letto come Windows-1252 (Latin-1); controlli "
            "le lettere accentate"
        )
        return data.decode("cp1252", errors="replace")


def _separator(first_line: str, notes: list[str]) -> str:
    """The format's ';', or the separator the header evidently uses (said in a note)."""
    counts = {separator: first_line.count(separator) for separator in SEPARATORS}
    found = max(counts, key=lambda separator: counts[separator])
    if counts[";"] or not counts[found]:
        return ";"
    notes.append(f"il separatore è la {SEPARATORS[found]} invece del punto e virgola: letto così")
    return found


def read_file(path: Path, expected: tuple[str, ...] | None = None) -> SourceFile:
    """Read one file of the export: encoding and separator checked, the header checked against
    the expected columns (FileError when a column is missing or unknown), every record that
    cannot be read reported with its line instead of stopping the import."""
    notes: list[str] = []
    text_ = _decode(path.read_bytes(), notes)
    first_line = text_.split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text_, newline=""), delimiter=_separator(first_line, notes), quotechar='"'
    )
    try:
        header = [column.strip().lower() for column in next(reader, [])]
    except csv.Error as error:
        raise FileError(f"intestazione illeggibile ({error})") from error
    if expected is not None:
        _check_header(header, expected)
    source = SourceFile(header, [], notes=notes)
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            source.unreadable.append((start, _unreadable_reason(error)))
            start = reader.line_num + 1
            continue
        if any(cell.strip() for cell in record):
            if any("\x00" in cell for cell in record):
                source.unreadable.append((start, "la riga contiene caratteri nulli (dati binari)"))
            else:
                values = {
                    column: (record[index] if index < len(record) else "")
                    for index, column in enumerate(header)
                }
                source.rows.append(SourceRow(path.name, start, values, record))
        start = reader.line_num + 1
    return source


def _check_header(header: list[str], expected: tuple[str, ...]) -> None:
    missing = [column for column in expected if column not in header]
    unknown = [column for column in header if column not in expected]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("mancano le colonne " + ", ".join(missing))
        if unknown:
            parts.append("colonne sconosciute " + ", ".join(unknown))
        raise FileError(
            "intestazione non conforme: "
            + "; ".join(parts)
            + ". Colonne attese: "
            + ", ".join(expected)
        )


def _unreadable_reason(error: csv.Error) -> str:
    message = str(error)
    if "field larger than field limit" in message:
        return f"un campo supera i {csv.field_size_limit()} caratteri"
    if "NUL" in message:
        return "la riga contiene caratteri nulli (dati binari)"
    return f"riga illeggibile ({message})"


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
