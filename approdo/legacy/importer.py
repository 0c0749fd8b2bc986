"""Import of the legacy export: validate everything first, then write all or the clean rows.

`validation` reads and checks every file into the staging tables (`staging`); `writing`
stores what passed. Legacy ids are kept, so running the same import again changes nothing;
people are matched by fiscal code. Memory does not grow with the export: rows are read,
checked and written a batch at a time.
"""

import csv
import json
from collections.abc import Callable
from pathlib import Path

from approdo.exports.services import neutralise_formula

from .staging import Staging
from .validation import FILES, OPTIONAL_FILES, ExportValidator, ImportResult, Problem
from .writing import ExportWriter

__all__ = ["FILES", "OPTIONAL_FILES", "ImportResult", "LegacyImport", "Problem", "report_text"]


class LegacyImport:
    def __init__(self, folder: Path, *, progress: Callable[[int, str], None] | None = None):
        self.folder = Path(folder)
        self.progress = progress or (lambda percent, message: None)

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
        staging = Staging()
        try:
            validator = ExportValidator(self.folder, staging, progress=self.progress)
            result = validator.validate()
            # A missing or unreadable file stops everything, even when skipping invalid rows.
            if not result.file_errors and not dry_run and (skip_invalid or not result.error_count):
                ExportWriter(
                    staging=staging, result=result, folder=self.folder, progress=self.progress
                ).write_all(actor=actor, job_id=job_id)
            if report_dir is not None:
                self._write_report(validator, Path(report_dir), skip_invalid=skip_invalid)
        finally:
            staging.drop()
        self.progress(100, "Importazione completata" if result.written else "Controllo completato")
        return result

    @staticmethod
    def _write_report(validator: ExportValidator, folder: Path, *, skip_invalid: bool) -> None:
        """The report, every problem (problemi.csv), and the rejected rows of each file with
        their reasons (scarti/); each written a row at a time."""
        result = validator.result
        folder.mkdir(parents=True, exist_ok=True)
        result.report_dir = str(folder)
        (folder / "rapporto.txt").write_text(report_text(result), encoding="utf-8")
        (folder / "rapporto.json").write_text(
            json.dumps(result.as_dict(), ensure_ascii=False, indent=2, default=str),
            encoding="utf-8",
        )
        with open(folder / "problemi.csv", "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["file", "riga", "colonna", "valore", "motivo", "gravità"])
            for problem in validator.all_problems():
                writer.writerow(
                    [
                        problem.file,
                        problem.line,
                        problem.column,
                        neutralise_formula(problem.value),
                        problem.reason,
                        problem.severity,
                    ]
                )
        if not skip_invalid:
            return
        rejects = folder / "scarti"
        rejects.mkdir(exist_ok=True)
        for name in FILES:
            if not result.rejected.get(name):
                continue
            with open(rejects / name, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, delimiter=";")
                writer.writerow([*validator.headers.get(name, []), "riga", "motivi"])
                for line, raw, reasons in validator.staging.rejected(name):
                    writer.writerow([*map(neutralise_formula, raw), line, reasons])


def report_text(result: ImportResult) -> str:
    """The import report in Italian, for the CLI and the page."""
    lines = ["Importazione dal vecchio gestionale", ""]
    for name, count in result.rows.items():
        lines.append(f"{name}: {count} righe, {result.rejected.get(name, 0)} con problemi")
    lines.append("")
    if result.error_count:
        lines.append(f"Errori: righe non importabili ({result.error_count}):")
        lines += [f"- {problem}" for problem in result.errors]
        lines += _not_listed(result.error_count, len(result.errors))
    else:
        lines.append("Nessun errore.")
    if result.warning_count:
        lines += [
            "",
            f"Avvisi: righe importate con un valore da verificare ({result.warning_count}):",
        ]
        lines += [f"- {problem}" for problem in result.warnings]
        lines += _not_listed(result.warning_count, len(result.warnings))
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


def _not_listed(count: int, listed: int) -> list[str]:
    if count <= listed:
        return []
    return [f"- … e altri {count - listed}: l'elenco completo è nel file problemi.csv del rapporto"]
