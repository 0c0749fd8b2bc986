import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from spid_cie_oidc.entity.models import FetchedEntityStatement, TrustChain

from approdo.demo.seed import DEMO_PASSWORD, ensure_demo_staff
from approdo.intake.models import InterviewStatus
from approdo.people.models import Person
from approdo.spid_testbed.runner import TestIdentity, testbed_environment
from approdo.spid_testbed.runner import start as start_testbed

DEMO_SPID_USERNAME = "persona.demo"


class Command(BaseCommand):
    help = (
        "Avvia la demo completa: migrazioni, dati dimostrativi, posta locale, worker e "
        "server web; stampa gli accessi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=3000)
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, people, bind, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", people=people, if_empty=True)
        mailbox = Path(settings.DEMO_MAILBOX_DIR or settings.DATA_DIR / "mail")
        # Every process gets the demo's settings from its environment; none is changed here.
        env = {
            **os.environ,
            "APPRODO_DEMO_MAILBOX_DIR": str(mailbox),
            "APPRODO_DEMO_PASSWORD": DEMO_PASSWORD,
            # Links in e-mails and the SPID entity name the address the demo listens on.
            "APPRODO_PUBLIC_BASE_URL": os.environ.get("APPRODO_PUBLIC_BASE_URL", f"http://{bind}"),
            # A programme's contacts, as a real installation configures them (README).
            "APPRODO_PROGRAMME_PHONE": os.environ.get("APPRODO_PROGRAMME_PHONE", "051 000 0000"),
            "APPRODO_PROGRAMME_ADDRESS": os.environ.get(
                "APPRODO_PROGRAMME_ADDRESS", "Piazza Maggiore 6, 40124 Bologna"
            ),
            "APPRODO_PROGRAMME_EMAIL": os.environ.get(
                "APPRODO_PROGRAMME_EMAIL", "lavoro@approdo.local"
            ),
        }
        approdo = [sys.executable, "-m", "approdo.cli"]
        person = _area_demo_person()
        testbed = self._start_spid_testbed(bind, env, approdo, person)
        mail_port = str(settings.EMAIL_PORT)
        helpers = {
            "mailsink": [*approdo, "mailsink", "--folder", str(mailbox), "--port", mail_port],
            "worker": [*approdo, "worker"],
        }
        # A `kill` (SIGTERM) stops the demo like Ctrl-C does: its processes with it.
        signal.signal(signal.SIGTERM, _interrupt)
        running = {name: subprocess.Popen(command, env=env) for name, command in helpers.items()}
        self._print_logins(bind, mailbox, person, spid=testbed is not None)
        server = subprocess.Popen([*approdo, "serve", "--bind", bind, "--workers", "2"], env=env)
        try:
            # Supervise: a helper that stops (a crash, a kill) is started again.
            while server.poll() is None:
                for name, process in running.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} si è fermato: lo riavvio.")
                        running[name] = subprocess.Popen(helpers[name], env=env)
                time.sleep(2)
        except KeyboardInterrupt:
            pass
        finally:
            for process in [server, *running.values()]:
                process.terminate()
            for process in [server, *running.values()]:
                process.wait(timeout=30)
            if testbed is not None:
                testbed.stop()

    def _start_spid_testbed(self, bind, env, approdo, person):
        """The package's own test trust anchor and identity provider, ten ports above the
        demo's, so that the area can be tried with SPID; the demo goes on without it if it
        cannot start."""
        if person is None or not person.fiscal_code:
            return None
        port = int(bind.rsplit(":", 1)[1]) + 10
        identity = TestIdentity(
            username=DEMO_SPID_USERNAME,
            password=DEMO_PASSWORD,
            fiscal_code=person.fiscal_code,
            given_name=person.first_name,
            family_name=person.last_name,
            email=person.email,
        )
        env.update(testbed_environment(port))
        # Chains cached from an earlier demo name keys the new federation no longer has.
        TrustChain.objects.all().delete()
        FetchedEntityStatement.objects.all().delete()
        relying_party = settings.DATA_DIR / "spid-relying-party.json"
        try:
            subprocess.run(
                [*approdo, "spid_entity", "--public-out", str(relying_party)],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            return start_testbed(
                port=port,
                database_url=os.environ["DATABASE_URL"],
                relying_party_file=relying_party,
                identities=[identity],
                log_file=(settings.DATA_DIR / "spid-testbed.log").open("ab"),
            )
        except (OSError, RuntimeError, subprocess.CalledProcessError, psycopg.Error) as error:
            for name in testbed_environment(port):
                env.pop(name, None)
            self.stderr.write(f"SPID di prova non disponibile ({error}): solo accesso via e-mail.")
            return None

    def _print_logins(self, bind, mailbox, person, *, spid: bool):
        lines = [
            "",
            "=" * 72,
            f"  Approdo demo: http://{bind}/",
            f"  Iscrizione online: http://{bind}/portale/",
            "",
            f"  Password di tutti gli utenti dimostrativi: {DEMO_PASSWORD}",
            "  Codice di verifica (2FA): 'approdo totp UTENTE' oppure aggiunga il segreto",
            "  a una app di autenticazione (Google Authenticator, FreeOTP, ...):",
            "",
        ]
        for user, secret in ensure_demo_staff():
            lines.append(f"  {user.username:<14} {user.get_role_display():<26} segreto {secret}")
        lines += ["", f"  Posta inviata dalla demo: {mailbox} e /posta/demo/"]
        if person is not None:
            lines += [
                f"  Area personale: http://{bind}/area/entra/ con {person.email}",
                "  (il collegamento per entrare arriva nella posta della demo)",
            ]
        if spid:
            lines += [
                f"  oppure 'Entra con SPID': utente {DEMO_SPID_USERNAME}, password "
                f"{DEMO_PASSWORD} (identity provider di prova)",
            ]
        lines += ["=" * 72, ""]
        self.stdout.write("\n".join(lines))


def _area_demo_person():
    """Someone to try the person's area with: an address on file, an appointment to move."""
    with_address = Person.objects.exclude(email="").filter(anonymised_at__isnull=True)
    return (
        with_address.filter(
            interviews__status=InterviewStatus.SCHEDULED,
            interviews__scheduled_at__gte=timezone.now() + timedelta(days=2),
        )
        .order_by("pk")
        .first()
        or with_address.order_by("pk").first()
    )


def _interrupt(signum, frame):
    raise KeyboardInterrupt
