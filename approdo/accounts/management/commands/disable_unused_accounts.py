from django.core.management.base import BaseCommand

from approdo.accounts.services import UNUSED_ACCOUNT_DAYS, disable_unused_accounts


class Command(BaseCommand):
    help = (
        f"Disattiva gli account non usati da {UNUSED_ACCOUNT_DAYS} giorni "
        "(da pianificare ogni notte)."
    )

    def handle(self, *args, **options):
        disabled = disable_unused_accounts()
        names = ", ".join(user.username for user in disabled) or "nessuno"
        self.stdout.write(f"Account disattivati: {len(disabled)} ({names}).")
