"""Benchmark of the job queue: how many jobs a second one, two and four workers get through.

Each job is a real one: the delivery of one e-mail (comms.tasks.deliver_email) to a local
SMTP server, 3,000 of them queued at once (one per person, as the exit notices of a
closing programme would be). For each number of workers: the jobs queued, `approdo
worker` processes started, the time until the last message is delivered. Checks that no
message was delivered twice (the queue hands each job to one worker).

Runs on a database of its own (`approdo_bench_queue`, made anew each time).

    .venv/bin/python scripts/bench_queue.py [--jobs 3000] [--workers 1 2 4]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")

from bench_mailing import Inbox, SmtpServer, free_port, kill, seed_people, start_worker  # noqa: E402
from bench_people import use_bench_database  # noqa: E402


def queue_deliveries() -> int:
    from django.db import transaction
    from django.utils import timezone

    from approdo.comms.services import queue_email
    from approdo.people.models import Person

    queued = 0
    with transaction.atomic():  # enqueued at commit, all at once
        for person in Person.objects.order_by("pk"):
            queue_email(
                to=person.email,
                kind="uscita",
                template="exit_notice",
                person=person,
                context={
                    "person": person,
                    "changed_at": timezone.now(),
                    "reason_text": "lavora",
                    "explanation": "Ha trovato lavoro.",
                },
            )
            queued += 1
    return queued


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    arguments = parser.parse_args()

    use_bench_database("approdo_bench_queue", fresh=True)
    import django

    django.setup()
    from django.core.management import call_command

    from approdo.comms.models import OutboundEmail

    call_command("migrate", verbosity=0)
    seed_people(arguments.jobs)
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "approdo-bench-queue-worker.log"
    log.write_bytes(b"")
    inbox = Inbox()
    port = free_port()
    smtp = SmtpServer(inbox, port)
    smtp.start()
    print(f"\n{arguments.jobs:,} e-mail deliveries queued at once, local SMTP server\n")
    print("| workers | seconds | jobs/s | delivered | twice |")
    print("|---:|---:|---:|---:|---:|")
    for count in arguments.workers:
        OutboundEmail.objects.all().delete()
        inbox.received.clear()
        queued = queue_deliveries()
        started = time.monotonic()
        workers = [start_worker(port, log) for _ in range(count)]
        try:
            while sum(inbox.received.values()) < queued:
                if time.monotonic() - started > 600:
                    sys.exit(f"{count} workers: not done in 10 minutes (see {log})")
                time.sleep(0.2)
            elapsed = time.monotonic() - started
        finally:
            for worker in workers:
                kill(worker)
        twice = sum(1 for times in inbox.received.values() if times > 1)
        print(
            f"| {count} | {elapsed:.1f} | {queued / elapsed:.0f} | "
            f"{len(inbox.received):,} | {twice} |"
        )
    smtp.stop()


if __name__ == "__main__":
    main()
