import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from approdo.reports.exports import report_csv, report_pdf, report_xlsx
from approdo.reports.indicators import annual_report, definitions_markdown
from approdo.reports.selectors import report_years


class Command(BaseCommand):
    help = (
        "Le cifre del programma: «annual» stampa il rapporto dell'anno (JSON, CSV, XLSX o PDF); "
        "«definitions» stampa le definizioni degli indicatori."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["annual", "definitions"])
        parser.add_argument("--year", type=int, help="Anno del rapporto (annual).")
        parser.add_argument("--format", choices=["json", "csv", "xlsx", "pdf"], default="json")
        parser.add_argument("--output", help="File in cui scrivere; senza, lo standard output.")

    def handle(self, *args, what, year, format, output, **options):
        if what == "definitions":
            self._write(definitions_markdown().encode(), output)
            return
        this_year = timezone.localdate().year
        if year is None:
            raise CommandError(
                f"Indichi l'anno del rapporto con --year, ad esempio --year {this_year - 1}."
            )
        years = report_years()
        if year not in years:
            raise CommandError(
                f"L'anno {year} non è valido: i dati vanno dal {years[0]} al {years[-1]}."
            )
        if format in ("xlsx", "pdf") and not output:
            raise CommandError(f"Per il formato {format} indichi il file con --output.")
        report = annual_report(year)
        content = {
            "json": lambda: json.dumps(report, ensure_ascii=False, indent=2).encode(),
            "csv": lambda: report_csv(report),
            "xlsx": lambda: report_xlsx(report),
            "pdf": lambda: report_pdf(report),
        }[format]()
        self._write(content, output)

    def _write(self, content: bytes, output: str | None) -> None:
        if output:
            try:
                Path(output).write_bytes(content)
            except OSError as error:
                raise CommandError(f"Non riesco a scrivere {output}: {error.strerror}.") from error
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
