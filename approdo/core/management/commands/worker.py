from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Avvia il worker che esegue i lavori in coda (e-mail, esportazioni, promemoria)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Esegue i lavori pronti e termina."
        )

    def handle(self, *args, batch, **options):
        call_command("db_worker", batch=batch, no_startup_delay=True, interval=1)
