"""The job worker killed, the database restarted under it, the SMTP server down: nothing lost."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from approdo.comms.models import OutboundEmail
from approdo.intake.services import book_first_interview
from approdo.legacy.models import ImportJob
from approdo.legacy.services import start_import
from approdo.legacy.synthetic import write_synthetic_export
from approdo.people.models import Person
from tests.factories import PersonFactory, slot_for

from .conftest import restart_database, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _export_zip(tmp_path, people: int) -> SimpleUploadedFile:
    folder = tmp_path / "esportazione"
    write_synthetic_export(folder, people=people, seed=11)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.glob("*.csv"):
            archive.write(path, path.name)
    return SimpleUploadedFile("esportazione.zip", buffer.getvalue(), "application/zip")


def test_an_import_whose_worker_is_killed_is_run_again_by_the_next_worker(
    workers, tmp_path, coordinator
):
    job = start_import(
        uploaded_file=_export_zip(tmp_path, 1500), dry_run=False, skip_invalid=True, by=coordinator
    )
    first = workers.start()

    def writing():
        job.refresh_from_db()
        return job.message.startswith("Scrittura")

    # The bar moves while the import's single transaction is still open.
    wait_until(writing, timeout=60, what="the import to start writing")
    workers.kill(first)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING  # what a killed worker leaves
    assert Person.objects.count() == 0  # all or nothing: the killed write left no row

    workers.start()
    wait_until(
        lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE,
        timeout=120,
        what="the import to be run again and finish",
    )
    assert ImportJob.objects.get(pk=job.pk).written
    assert Person.objects.count() == 1500
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1


def test_invitations_booked_while_smtp_is_down_arrive_once_when_it_is_back(workers, smtp, operator):
    smtp.stop()
    workers.start()
    people = [PersonFactory() for _ in range(5)]
    for hour, person in enumerate(people, start=9):
        book_first_interview(
            person=person, slot_id=slot_for(operator, hour=hour).pk, mode="presenza", by=operator
        )
    wait_until(
        lambda: OutboundEmail.objects.filter(attempts__gte=1).count() == len(people),
        what="a first, failed attempt for every invitation",
    )
    assert not OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).exists()

    smtp.start()
    # The retries are due in a minute: bring them forward rather than wait.
    DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path__contains="deliver"
    ).update(run_after=timezone.now())
    wait_until(
        lambda: (
            OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == len(people)
        ),
        what="every invitation to be delivered",
    )
    recipients = sorted(message["To"] for message in smtp.messages)
    assert recipients == sorted(person.email for person in people)  # each exactly once


def test_the_worker_survives_a_database_restart_and_keeps_delivering(workers, smtp, operator):
    workers.start()
    person = PersonFactory()
    book_first_interview(person=person, slot_id=slot_for(operator).pk, mode="presenza", by=operator)
    wait_until(lambda: len(smtp.messages) == 1, what="the first invitation")

    restart_database()

    other = PersonFactory()
    book_first_interview(
        person=other, slot_id=slot_for(operator, hour=11).pk, mode="presenza", by=operator
    )
    wait_until(lambda: len(smtp.messages) == 2, timeout=60, what="an invitation after the restart")
    assert all(process.poll() is None for process in workers.processes)
    assert connection.is_usable()


def test_a_web_process_answers_normally_after_a_database_restart(live_server, operator):
    """Persistent connections are checked before reuse: no 500 after the restart."""
    import urllib.request

    from django.test import Client

    from conftest import login

    client = login(Client(), operator)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    def get(path: str) -> int:
        request = urllib.request.Request(live_server.url + path, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    assert get("/lavoro/persone/") == 200
    restart_database()
    assert get("/lavoro/persone/") == 200
