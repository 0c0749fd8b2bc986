"""Benchmark of a mailing: 10,000 recipients through a local SMTP server and a real worker,
once undisturbed and once with the worker killed twice and the SMTP server stopped for a
minute. Prints the time, the rate, and how many recipients got no message or more than one.

Runs on a database of its own (`approdo_bench_mailing`, made anew each time, on the
embedded server or on the server of DATABASE_URL).

    .venv/bin/python scripts/bench_mailing.py [--recipients 10000] [--outage 60]
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")

from bench_people import use_bench_database  # noqa: E402

LEASE_SECONDS = 5


class Inbox:
    """What the local SMTP server received, by recipient."""

    def __init__(self):
        self.received = Counter()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received[message["To"]] += 1
        return "250 OK"


class SmtpServer:
    def __init__(self, inbox: Inbox, port: int):
        self.inbox, self.port, self.controller = inbox, port, None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_worker(port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "APPRODO_EMAIL_HOST": "127.0.0.1",
        "APPRODO_EMAIL_PORT": str(port),
        "APPRODO_WORKER_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "approdo.cli", "worker"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def seed_people(count: int) -> None:
    from datetime import date, timedelta

    from django.utils import timezone

    from approdo.people.models import Person
    from approdo.places.models import Comune

    now = timezone.now()
    bologna = Comune.objects.get(name="Bologna")
    Person.objects.bulk_create(
        (
            Person(
                first_name=f"Nome{index}",
                last_name=f"Cognome{index}",
                email=f"persona{index}@esempio.it",
                registered_at=now - timedelta(days=400),
                channel="sportello",
                status="fuori protocollo",
                exit_reason="lavora",
                status_changed_at=now - timedelta(days=30),
                privacy_accepted_at=now - timedelta(days=400),
                birth_date=date(1980, 1, 1) + timedelta(days=index % 9000),
                sex="F" if index % 2 else "M",
                residence_comune=bologna,
            )
            for index in range(count)
        ),
        batch_size=2000,
    )


def run_mailing(label: str, *, port: int, inbox: Inbox, smtp: SmtpServer, faults, log: Path):
    """Send one mailing to everyone; `faults(sent, worker, restart)` may break things as
    it goes. Returns the figures."""
    from approdo.comms.models import OutboundEmail
    from approdo.mailings.models import Mailing
    from approdo.mailings.services import create_mailing, start_sending

    inbox.received.clear()
    mailing = create_mailing(
        subject="Come va, {{ nome }}?",
        body="Gentile {{ nome }} {{ cognome }},\nci racconti com'è andata.",
        people_query="status=fuori+protocollo",
        reply_to="sportello@programma.example.it",
        rate_per_minute=100_000,
    )
    workers = [start_worker(port, log)]
    started = time.perf_counter()
    start_sending(mailing)
    events = []
    while True:
        state = Mailing.objects.values_list("state", flat=True).get(pk=mailing.pk)
        if state == Mailing.State.DONE:
            break
        sent = OutboundEmail.objects.filter(
            mailing=mailing, status=OutboundEmail.Status.SENT
        ).count()
        happened = faults(sent, workers, lambda: workers.append(start_worker(port, log)))
        if happened:
            events.append(f"{happened} at {sent} sent ({time.perf_counter() - started:.0f} s)")
        if time.perf_counter() - started > 1800:
            sys.exit(f"{label}: not done after 30 minutes")
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
    statuses = Counter(
        OutboundEmail.objects.filter(mailing=mailing).values_list("status", flat=True)
    )
    recipients = set(OutboundEmail.objects.filter(mailing=mailing).values_list("to", flat=True))
    lost = len(recipients - set(inbox.received))
    twice = sum(1 for count in inbox.received.values() if count > 1)
    return {
        "label": label,
        "recipients": len(recipients),
        "seconds": elapsed,
        "rate": len(recipients) / elapsed,
        "sent": statuses.get(OutboundEmail.Status.SENT, 0),
        "lost": lost,
        "twice": twice,
        "events": events,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--outage", type=int, default=60, help="seconds the SMTP server is off")
    arguments = parser.parse_args()

    use_bench_database("approdo_bench_mailing", fresh=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed_people(arguments.recipients)
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "approdo-bench-mailing-worker.log"
    log.write_bytes(b"")
    inbox = Inbox()
    port = free_port()
    smtp = SmtpServer(inbox, port)
    smtp.start()

    clean = run_mailing(
        "undisturbed",
        port=port,
        inbox=inbox,
        smtp=smtp,
        faults=lambda sent, workers, restart: None,
        log=log,
    )

    total = arguments.recipients
    plan = {"kill 1": total * 0.2, "smtp off": total * 0.4, "kill 2": total * 0.7}
    done = set()
    outage = {"until": None}

    def faults(sent, workers, restart):
        now = time.monotonic()
        if outage["until"] and now >= outage["until"]:
            smtp.start()
            outage["until"] = None
            return "SMTP server back"
        for name, at in plan.items():
            if name in done or sent < at:
                continue
            done.add(name)
            if name.startswith("kill"):
                kill(workers[-1])
                restart()
                return f"worker killed and restarted ({name})"
            smtp.stop()
            outage["until"] = now + arguments.outage
            return f"SMTP server stopped for {arguments.outage} s"
        return None

    faulty = run_mailing(
        "worker killed twice, SMTP off", port=port, inbox=inbox, smtp=smtp, faults=faults, log=log
    )
    smtp.stop()

    print(f"\nMailing benchmark ({total:,} recipients, local SMTP, one worker)")
    print(f"{'run':32} {'seconds':>8} {'msg/s':>7} {'sent':>7} {'lost':>5} {'twice':>6}")
    for run in (clean, faulty):
        print(
            f"{run['label']:32} {run['seconds']:8.1f} {run['rate']:7.0f} {run['sent']:7,} "
            f"{run['lost']:5} {run['twice']:6}"
        )
    for event in faulty["events"]:
        print(f"  - {event}")
    if clean["lost"] or clean["twice"] or faulty["lost"] or faulty["twice"]:
        sys.exit("Some recipients got no message or more than one.")


if __name__ == "__main__":
    main()
