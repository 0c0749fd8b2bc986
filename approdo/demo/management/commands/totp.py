from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from approdo.accounts.models import User
from approdo.accounts.services import confirmed_totp_device


class Command(BaseCommand):
    help = "Stampa il codice di verifica attuale di un utente (solo per demo e prove)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Utente «{username}» inesistente.")
        device = confirmed_totp_device(user)
        if device is None:
            raise CommandError(f"L'utente «{username}» non ha ancora configurato la verifica.")
        self.stdout.write(f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}")
