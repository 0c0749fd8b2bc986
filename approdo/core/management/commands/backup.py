from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from approdo.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Salva database e documenti in una cartella di backup, con il manifesto di verifica."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="Cartella in cui creare il backup.")

    def handle(self, *args, destination, **options):
        try:
            folder = create_backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup completato: {folder}")
