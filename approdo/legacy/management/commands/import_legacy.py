from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from approdo.legacy.importer import LegacyImport, report_text


class Command(BaseCommand):
    help = (
        "Importa la cartella esportata dal vecchio gestionale (formato FORMAT.md). Controlla "
        "tutto prima: con un problema non scrive nulla, a meno di --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Cartella con persone.csv, colloqui.csv, ...")
        parser.add_argument(
            "--dry-run", action="store_true", help="Solo controllo, nessuna scrittura."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Importa le righe corrette; le altre finiscono negli scarti.",
        )
        parser.add_argument(
            "--report-dir",
            help="Dove scrivere rapporto e scarti (predefinito: la cartella dei dati di Approdo).",
        )

    def handle(self, *args, folder, dry_run, skip_invalid, report_dir, **options):
        source = Path(folder)
        if not source.is_dir():
            raise CommandError(f"La cartella {folder} non esiste.")
        report = (
            Path(report_dir)
            if report_dir
            else (settings.DATA_DIR / "importazioni" / timezone.now().strftime("%Y%m%d-%H%M%S"))
        )
        result = LegacyImport(source).run(
            dry_run=dry_run, skip_invalid=skip_invalid, report_dir=report
        )
        self.stdout.write(report_text(result))
        self.stdout.write(f"Rapporto completo e scarti in {report}")
        # Only warnings, or errors in rows that were skipped: exit 0 (the report says it all).
        if result.error_count and not result.written:
            raise CommandError(
                f"{result.error_count} errori: non è stato scritto nulla. Corregga "
                "l'esportazione" + ("." if skip_invalid or dry_run else " o usi --skip-invalid.")
            )
