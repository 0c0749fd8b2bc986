"""Reading the legacy export: its CSV dialect and its Italian conventions (see FORMAT.md)."""

import codecs
import csv
import functools
import re
from collections.abc import Iterator
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
class Unreadable:
    line: int
    reason: str


@dataclass
class SourceFile:
    """One file of the export, opened: its header and what was noticed on the way (encoding,
    separator); `records()` reads it a record at a time, so no file is ever held whole."""

    path: Path
    header: list[str]
    encoding: str
    separator: str
    # notes on the whole file (encoding, separator), imported anyway
    notes: list[str] = field(default_factory=list)

    def records(self) -> Iterator[SourceRow | Unreadable]:
        """Every record, or the line and reason of one that cannot be read at all."""
        with open(self.path, encoding=self.encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=self.separator, quotechar='"')
            next(reader, None)  # the header, already checked
            start = reader.line_num + 1
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield Unreadable(start, _unreadable_reason(error))
                    start = reader.line_num + 1
                    continue
                if any(cell.strip() for cell in record):
                    if any("\x00" in cell for cell in record):
                        yield Unreadable(start, "la riga contiene caratteri nulli (dati binari)")
                    else:
                        values = {
                            column: (record[index] if index < len(record) else "")
                            for index, column in enumerate(self.header)
                        }
                        yield SourceRow(self.path.name, start, values, record)
                start = reader.line_num + 1


SEPARATORS = {";": "punto e virgola", ",": "virgola", "\t": "tabulazione", "|": "barra verticale"}


def _encoding(path: Path, notes: list[str]) -> str:
    """UTF-8 (with or without BOM) as the format says; Windows-1252/Latin-1 said and read.
    The file is checked in chunks, never loaded whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1024 * 1024):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        notes.append(
            "il file non è in UTF-8: è stato letto come Windows-1252 (Latin-1); controlli "
            "le lettere accentate"
        )
        return "cp1252"
    return "utf-8-sig"


def _separator(first_line: str, notes: list[str]) -> str:
    """The format's ';', or the separator the header evidently uses (said in a note)."""
    counts = {separator: first_line.count(separator) for separator in SEPARATORS}
    found = max(counts, key=lambda separator: counts[separator])
    if counts[";"] or not counts[found]:
        return ";"
    notes.append(f"il separatore è la {SEPARATORS[found]} invece del punto e virgola: letto così")
    return found


def open_file(path: Path, expected: tuple[str, ...] | None = None) -> SourceFile:
    """Open one file of the export: encoding and separator found, the header checked against
    the expected columns (FileError when a column is missing or unknown). Its records are
    read later, one at a time, each unreadable one reported with its line."""
    notes: list[str] = []
    encoding = _encoding(path, notes)
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        first_line = handle.readline(64 * 1024)
        separator = _separator(first_line, notes)
        handle.seek(0)
        try:
            header = next(csv.reader(handle, delimiter=separator, quotechar='"'), [])
        except csv.Error as error:
            raise FileError(f"intestazione illeggibile ({error})") from error
    header = [column.strip().lower() for column in header]
    if expected is not None:
        _check_header(header, expected)
    return SourceFile(path, header, encoding, separator, notes)


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
    found = _by_lower_case(tuple(allowed)).get(cleaned)
    if found is None:
        raise FieldError("valore non previsto (ammessi: " + ", ".join(allowed) + ")")
    return found


@functools.cache
def _by_lower_case(allowed: tuple[str, ...]) -> dict[str, str]:
    return {option.lower(): option for option in reversed(allowed)}


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
