from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from approdo.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Ripristina un backup in un'istanza vuota e lo verifica (righe e documenti)."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="La cartella del backup.")

    def handle(self, *args, backup, **options):
        try:
            result = restore_backup(backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        summary = f"{result.tables} tabelle, {result.rows} righe, {result.documents} documenti"
        if result.problems:
            raise CommandError(
                f"Ripristino NON verificato ({summary}):\n- " + "\n- ".join(result.problems)
            )
        self.stdout.write(f"Ripristino completato e verificato: {summary}.")
