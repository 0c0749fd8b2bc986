from django.core.management.base import BaseCommand, CommandError

from approdo.audit.services import verify_chain

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Verifica che il registro attività sia integro: ogni voce sigillata, nessuna "
        "modificata, cancellata o aggiunta dopo (catena di hash)."
    )

    def handle(self, *args, **options):
        checked, problems = verify_chain()
        if problems:
            listed = "\n- ".join(problems[:SHOWN])
            more = f"\n… e altri {len(problems) - SHOWN}" if len(problems) > SHOWN else ""
            raise CommandError(
                f"Registro attività NON integro ({len(problems)} problemi su {checked} voci):"
                f"\n- {listed}{more}"
            )
        self.stdout.write(f"Registro attività integro: {checked} voci verificate.")
