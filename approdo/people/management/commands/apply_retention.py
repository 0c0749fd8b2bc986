from django.conf import settings
from django.core.management.base import BaseCommand

from approdo.people.retention import apply_retention, due_for_anonymisation


class Command(BaseCommand):
    help = (
        f"Anonimizza le schede senza attività da {settings.RETENTION_YEARS} anni "
        "(da pianificare ogni notte)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Conta le schede da anonimizzare, senza toccarle.",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            count = due_for_anonymisation().count()
            self.stdout.write(f"Schede da anonimizzare: {count}.")
            return
        count = apply_retention()
        self.stdout.write(f"Schede anonimizzate: {count}.")
