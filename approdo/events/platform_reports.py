"""The participants report of a video platform (Zoom, Microsoft Teams, Google Meet, Webex,
Jitsi, ...) as each exports it: a CSV in UTF-8 or UTF-16, with commas, semicolons or tabs,
sometimes with a summary before the table. What counts is each participant's address and
how long they stayed: a duration column, or the times they joined and left."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_BYTES = 5 * 1024 * 1024
MAX_MINUTES = 24 * 60
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y, %H:%M:%S",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%y, %I:%M:%S %p",
)


@dataclass
class PlatformReport:
    minutes: dict[str, int] = field(default_factory=dict)  # address (lower case) -> minutes
    rows: int = 0
    without_address: int = 0  # connections without an address (telephone, guests)


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _kind(header: str) -> str:
    name = header.strip().lower()
    if "mail" in name:
        return "email"
    if any(word in name for word in ("durata", "duration", "time in", "minuti", "minutes")):
        return "duration"
    if any(word in name for word in ("leave", "left", "uscita", "ultimo")):
        return "left"
    if any(word in name for word in ("join", "ingresso", "entrata", "accesso", "primo")):
        return "joined"
    return ""


def _minutes(text: str) -> int | None:
    """45 | 45,5 | 1:05:30 | 1h 5m 3s | 65 min."""
    text = text.strip().lower()
    if not text:
        return None
    if re.fullmatch(r"\d+([.,]\d+)?", text):
        return round(float(text.replace(",", ".")))
    if re.fullmatch(r"\d+:\d{1,2}(:\d{1,2})?", text):
        parts = [int(part) for part in text.split(":")]
        hours, minutes, seconds = parts if len(parts) == 3 else (0, *parts)
        return round(hours * 60 + minutes + seconds / 60)
    found = re.findall(r"(\d+)\s*(h|ore|ora|m|min|minuti|minutes|s|sec|secondi|seconds)\b", text)
    if not found:
        return None
    total = 0.0
    for number, unit in found:
        total += int(number) * (
            60 if unit in ("h", "ore", "ora") else 1 / 60 if unit.startswith("s") else 1
        )
    return round(total)


def _moment(text: str) -> datetime | None:
    text = text.strip()
    for pattern in _DATETIME_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def read_platform_report(content: bytes) -> PlatformReport:
    if len(content) > MAX_BYTES:
        raise ValidationError("Il file è troppo grande (al massimo 5 MB).")
    lines = _decode(content).splitlines()
    header_at, columns, delimiter = None, {}, ","
    for number, line in enumerate(lines[:60]):
        for candidate in ("\t", ";", ","):
            cells = next(csv.reader([line], delimiter=candidate))
            kinds = {_kind(cell): index for index, cell in reversed(list(enumerate(cells)))}
            if "email" in kinds and ("duration" in kinds or {"joined", "left"} <= set(kinds)):
                header_at, columns, delimiter = number, kinds, candidate
                break
        if header_at is not None:
            break
    if header_at is None:
        raise ValidationError(
            "Nel file non trovo la tabella dei partecipanti: serve una colonna con l'e-mail "
            "e una con la durata (o con l'ora di ingresso e di uscita). Esporti dalla "
            "piattaforma il rapporto dei partecipanti in CSV."
        )
    report = PlatformReport()
    reader = csv.reader(io.StringIO("\n".join(lines[header_at + 1 :])), delimiter=delimiter)
    problems = []
    for number, cells in enumerate(reader, start=header_at + 2):
        if not any(cell.strip() for cell in cells):
            continue
        if re.match(r"\d+\.\s", cells[0].strip()) or (
            len(cells) > columns["email"] and _kind(cells[columns["email"]]) == "email"
        ):
            break  # another section (Teams lists each connection again after the table)
        if len(cells) <= columns["email"]:
            continue
        report.rows += 1
        address = cells[columns["email"]].strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            report.without_address += 1
            continue
        minutes = _row_minutes(cells, columns)
        if minutes is None or minutes > MAX_MINUTES:
            problems.append(f"riga {number}: durata o orari non leggibili")
            continue
        # Connections overlap in some reports: never more than a day.
        report.minutes[address] = min(report.minutes.get(address, 0) + minutes, MAX_MINUTES)
    if problems:
        shown = "; ".join(problems[:10]) + ("; …" if len(problems) > 10 else "")
        raise ValidationError(
            f"Nessuna presenza registrata. {len(problems)} righe con errori: {shown}."
        )
    if not report.minutes:
        raise ValidationError("Nel file non c'è nessun partecipante con un indirizzo e-mail.")
    return report


def _row_minutes(cells: list[str], columns: dict[str, int]) -> int | None:
    if "duration" in columns and columns["duration"] < len(cells):
        minutes = _minutes(cells[columns["duration"]])
        if minutes is not None:
            return minutes
    if {"joined", "left"} <= set(columns) and max(columns["joined"], columns["left"]) < len(cells):
        joined, left = _moment(cells[columns["joined"]]), _moment(cells[columns["left"]])
        if joined and left and left >= joined:
            return round((left - joined).total_seconds() / 60)
    return None
