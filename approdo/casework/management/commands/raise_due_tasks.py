from django.core.management.base import BaseCommand

from approdo.casework.services import raise_due_tasks


class Command(BaseCommand):
    help = (
        "Crea le attività automatiche in scadenza: verifiche a 3 e 6 mesi dagli inserimenti, "
        "stage che finiscono entro 15 giorni (da pianificare ogni notte)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Attività create: {raise_due_tasks()}.")
