import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from approdo.mailings import services
from approdo.mailings.models import Mailing


class Command(BaseCommand):
    help = (
        "Invii di massa dalla riga di comando: «create» prepara un invio alle persone di una "
        "ricerca, «send» lo avvia (lo esegue il worker), «status» dice a che punto è, "
        "«pause» e «resume» lo fermano e lo riprendono."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="AZIONE")
        create = actions.add_parser("create", help="Prepara un invio (bozza).")
        create.add_argument("--subject", required=True, help="Oggetto (con campi di unione).")
        create.add_argument(
            "--body-file", required=True, help="File di testo UTF-8 con il testo del messaggio."
        )
        create.add_argument(
            "--people",
            required=True,
            help="I filtri dell'elenco delle persone, come nel suo indirizzo: "
            "status=fuori protocollo&exit_reason=…&exited_from=AAAA-MM-GG&exited_to=AAAA-MM-GG",
        )
        create.add_argument("--reply-to", default="", help="Indirizzo per le risposte.")
        create.add_argument("--rate", type=int, help="Messaggi al minuto.")
        for name, text in (
            ("send", "Avvia l'invio."),
            ("status", "Stato dell'invio."),
            ("pause", "Mette in pausa l'invio."),
            ("resume", "Riprende l'invio."),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument("id", type=int, help="Numero dell'invio.")
            action.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, action, **options):
        if action == "create":
            mailing = self._create(**options)
        else:
            mailing = Mailing.objects.filter(pk=options["id"]).first()
            if mailing is None:
                raise CommandError(f"Non esiste un invio numero {options['id']}.")
            try:
                {
                    "send": services.start_sending,
                    "pause": services.pause,
                    "resume": services.resume,
                }.get(action, lambda mailing: None)(mailing)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            mailing.refresh_from_db()
        self._print(mailing, options.get("format", "json"))

    def _create(self, *, subject, body_file, people, reply_to, rate, **options) -> Mailing:
        try:
            body = Path(body_file).read_text(encoding="utf-8")
        except FileNotFoundError as error:
            raise CommandError(f"Il file {body_file} non esiste.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"Il file {body_file} non è testo UTF-8.") from error
        except OSError as error:
            raise CommandError(f"Non riesco a leggere {body_file}: {error.strerror}.") from error
        reply_to = reply_to or settings.PROGRAMME_EMAIL
        if not reply_to:
            self.stderr.write(
                "Attenzione: nessun indirizzo per le risposte (--reply-to o "
                "APPRODO_PROGRAMME_EMAIL): le risposte andranno al mittente."
            )
        try:
            return services.create_mailing(
                subject=subject,
                body=body,
                people_query=people,
                reply_to=reply_to,
                rate_per_minute=rate,
            )
        except ValidationError as error:
            messages = (
                [f"{message}" for messages in error.message_dict.values() for message in messages]
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise CommandError(" ".join(messages)) from error

    def _print(self, mailing: Mailing, format: str) -> None:
        report = {
            "id": mailing.pk,
            "subject": mailing.subject,
            "state": mailing.state,
            **services.progress(mailing),
        }
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            for key, value in report.items():
                self.stdout.write(f"{key}: {value}")
