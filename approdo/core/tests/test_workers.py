"""The worker's lease: jobs of a vanished worker run again; a stuck queue is visible."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from approdo.comms.models import OutboundEmail
from approdo.comms.services import queue_email
from approdo.core import workers
from approdo.core.models import WorkerHeartbeat
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _queued_email() -> DBTaskResult:
    person = PersonFactory()
    queue_email(
        to=person.email,
        kind="riammissione",
        template="readmission",
        person=person,
        context={"person": person, "changed_at": timezone.now()},
    )
    return DBTaskResult.objects.get()


def _claimed_by(job: DBTaskResult, worker_id: str, *, ago: timedelta) -> None:
    DBTaskResult.objects.filter(pk=job.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - ago,
        worker_ids=[worker_id],
    )


def test_the_job_of_a_worker_that_stopped_beating_goes_back_to_the_queue(mailbox, run_tasks):
    job = _queued_email()
    _claimed_by(job, "morto:1", ago=timedelta(minutes=5))  # killed mid-job, no heartbeat
    assert workers.requeue_abandoned_jobs() == 1
    run_tasks()
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    assert len(mailbox) == 1


def test_the_job_of_a_live_worker_is_left_alone():
    job = _queued_email()
    workers.beat("vivo:1")
    _claimed_by(job, "vivo:1", ago=timedelta(minutes=5))  # a long import, still beating
    assert workers.requeue_abandoned_jobs() == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def test_a_worker_that_reconnects_takes_back_its_own_jobs():
    job = _queued_email()
    workers.beat("io:1")
    _claimed_by(job, "io:1", ago=timedelta(seconds=5))
    assert workers.requeue_own_jobs("io:1") == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY


def test_the_queue_is_stuck_when_jobs_wait_and_no_worker_is_seen():
    job = _queued_email()
    assert not workers.queue_is_stuck()  # just queued
    DBTaskResult.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - timedelta(minutes=2))
    assert workers.queue_is_stuck()
    workers.beat("vivo:1")
    assert not workers.queue_is_stuck()
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=2))
    assert workers.queue_is_stuck()


def test_coordinators_see_the_warning_operators_do_not(coordinator_client, operator):
    from django.test import Client

    from conftest import login

    job = _queued_email()
    DBTaskResult.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - timedelta(minutes=2))
    warning = "Nessun worker attivo"
    assert warning in coordinator_client.get("/lavoro/").content.decode()
    assert warning not in login(Client(), operator).get("/lavoro/").content.decode()
