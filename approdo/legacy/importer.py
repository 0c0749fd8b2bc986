"""Import of the legacy export: validate everything first, then write all or the clean rows.

`validation` reads and checks every file; `writing` stores what passed. Legacy ids
are kept, so running the same import again changes nothing; people are matched
by fiscal code.
"""

import csv
import json
from collections.abc import Callable
from pathlib import Path

from .validation import FILES, ExportValidator, ImportResult, Problem
from .writing import ExportWriter

__all__ = ["FILES", "ImportResult", "LegacyImport", "Problem", "report_text"]


class LegacyImport:
    def __init__(self, folder: Path, *, progress: Callable[[int, str], None] | None = None):
        self.folder = Path(folder)
        self.progress = progress or (lambda percent, message: None)
        self.validator = ExportValidator(self.folder, progress=self.progress)
        self.result = self.validator.result

    def validate(self) -> ImportResult:
        """Read and check every file; nothing is written."""
        return self.validator.validate()

    def run(
        self,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        report_dir: Path | None = None,
        actor=None,
        job_id: str = "riga di comando",
    ) -> ImportResult:
        """Validate; then write everything, or only the clean rows when asked to skip."""
        self.validate()
        # A missing or unreadable file stops everything, even when skipping invalid rows.
        can_write = not any(p.file_level for p in self.result.errors)
        if can_write and not dry_run and (skip_invalid or not self.result.errors):
            writer = ExportWriter(
                records=self.validator.records,
                readmissions=self.validator.readmissions,
                result=self.result,
                folder=self.folder,
                progress=self.progress,
            )
            writer.write_all(actor=actor, job_id=job_id)
        if report_dir is not None:
            self._write_report(Path(report_dir), skip_invalid=skip_invalid)
        self.progress(
            100, "Importazione completata" if self.result.written else "Controllo completato"
        )
        return self.result

    def _write_report(self, folder: Path, *, skip_invalid: bool) -> None:
        """The report, and the rejected rows of each file with their reasons (scarti/)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.result.report_dir = str(folder)
        (folder / "rapporto.txt").write_text(report_text(self.result), encoding="utf-8")
        (folder / "rapporto.json").write_text(
            json.dumps(self.result.as_dict(), ensure_ascii=False, indent=2, default=str),
            encoding="utf-8",
        )
        if not skip_invalid:
            return
        rejects = folder / "scarti"
        rejects.mkdir(exist_ok=True)
        for name, rows in self.validator.rejected_rows.items():
            with open(rejects / name, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, delimiter=";")
                writer.writerow([*self.validator.headers.get(name, []), "riga", "motivi"])
                for row, reasons in rows:
                    writer.writerow([*row.raw, row.line, " | ".join(reasons)])


def report_text(result: ImportResult) -> str:
    """The import report in Italian, for the CLI and the page."""
    lines = ["Importazione dal vecchio gestionale", ""]
    for name, count in result.rows.items():
        lines.append(f"{name}: {count} righe, {result.rejected.get(name, 0)} con problemi")
    lines.append("")
    if result.errors:
        lines.append(f"Errori: righe non importabili ({len(result.errors)}):")
        lines += [f"- {problem}" for problem in result.errors]
    else:
        lines.append("Nessun errore.")
    if result.warnings:
        lines += [
            "",
            f"Avvisi: righe importate con un valore da verificare ({len(result.warnings)}):",
        ]
        lines += [f"- {problem}" for problem in result.warnings]
    if result.written:
        lines += ["", "Scritto:"]
        entities = sorted(set(result.created) | set(result.updated) | set(result.unchanged))
        lines += [
            f"- {e}: {result.created.get(e, 0)} nuovi, {result.updated.get(e, 0)} "
            f"aggiornati, {result.unchanged.get(e, 0)} invariati"
            for e in entities
        ]
    else:
        lines += ["", "Non è stato scritto nulla."]
    return "\n".join(lines) + "\n"
