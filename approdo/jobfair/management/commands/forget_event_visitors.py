from django.core.management.base import BaseCommand
from django.db import transaction

from approdo.events.services import forget_visitors as forget_registrations
from approdo.jobfair.services import forget_visitors as forget_bookings


class Command(BaseCommand):
    help = (
        "Cancella nomi e indirizzi di chi non è del programma dalle iscrizioni agli eventi e "
        "dalle prenotazioni alla fiera, 24 mesi dopo (da pianificare ogni notte)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            registrations = forget_registrations()
            bookings = forget_bookings()
        self.stdout.write(
            f"Iscrizioni agli eventi cancellate: {registrations}. "
            f"Prenotazioni alla fiera cancellate: {bookings}."
        )
