from django.core.management.base import BaseCommand

from approdo.area.services import forget_old_accesses


class Command(BaseCommand):
    help = (
        "Cancella indirizzo IP e dispositivo degli accessi all'area personale più vecchi di "
        "12 mesi e i collegamenti di accesso scaduti da allora (da pianificare ogni notte)."
    )

    def handle(self, *args, **options):
        blanked, deleted = forget_old_accesses()
        self.stdout.write(
            f"Accessi alleggeriti: {blanked}. Collegamenti di accesso cancellati: {deleted}."
        )
