from pathlib import Path

from django.core.management.base import BaseCommand

from approdo.audit.processing import inventory_markdown


class Command(BaseCommand):
    help = "Stampa il registro dei trattamenti (art. 30 GDPR): ogni campo con dati personali."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Scrive il registro in questo file (Markdown).")

    def handle(self, *args, output=None, **options):
        text = inventory_markdown()
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Registro dei trattamenti scritto in {output}.")
        else:
            self.stdout.write(text)
