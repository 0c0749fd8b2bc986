from django.core.management.base import BaseCommand

from approdo.casework.services import send_daily_digests


class Command(BaseCommand):
    help = (
        "Invia il riepilogo della giornata per e-mail a chi lo ha chiesto (da pianificare "
        "ogni mattina; una seconda esecuzione nello stesso giorno non invia nulla)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Riepiloghi inviati: {send_daily_digests()}.")
