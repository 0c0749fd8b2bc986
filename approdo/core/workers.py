"""The job worker's life: heartbeats, jobs of vanished workers given back, the queue's health.

Jobs are rows of django-tasks-db. A worker killed mid-job (or cut off from the database)
leaves its job "RUNNING" for ever; with heartbeats, a job whose worker has been silent for
its lease is put back in the queue and runs again. Every job of Approdo can run twice
safely: e-mails check they were not sent, files are rewritten whole, imports are
all-or-nothing and idempotent.
"""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def lease() -> timedelta:
    """How long a silent worker keeps its jobs (APPRODO_WORKER_LEASE_SECONDS, 60)."""
    return timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def heartbeat_every() -> timedelta:
    return lease() / 6


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(worker_id: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={"started_at": now, "seen_at": now},
    )


def forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def alive_workers() -> set[str]:
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - lease()).values_list(
            "worker_id", flat=True
        )
    )


def requeue_own_jobs(worker_id: str) -> int:
    """Jobs this worker had claimed when its database connection broke: back to the queue."""
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, worker_ids__contains=[worker_id]
    ).update(status=TaskResultStatus.READY, started_at=None)


@transaction.atomic
def requeue_abandoned_jobs() -> int:
    """Give back to the queue the jobs whose worker stopped beating; returns how many."""
    alive = alive_workers()
    started_before = timezone.now() - lease()
    abandoned = [
        job.pk
        for job in DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=started_before
        )
        if not job.worker_ids or job.worker_ids[-1] not in alive
    ]
    if abandoned:
        DBTaskResult.objects.filter(pk__in=abandoned).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning("Requeued %d jobs of workers that vanished.", len(abandoned))
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - 10 * lease()).delete()
    return len(abandoned)


def queue_is_stuck() -> bool:
    """Jobs due for more than a lease and no worker seen within it: e-mails, files and imports
    are waiting for a worker that is not there (one query, asked on coordinators' pages)."""
    cutoff = timezone.now() - lease()
    return (
        DBTaskResult.objects.ready()
        .filter(enqueued_at__lt=cutoff)
        .filter(~Exists(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff)))
        .exists()
    )


def when_database_is_back(action, *, patience: timedelta = timedelta(minutes=2)):
    """Run `action` once the database that was just lost (it restarted) is back, rather
    than fail: a job whose follow-up is lost breaks its chain, and a message whose record
    is unknown must not be guessed. After `patience` the error is raised, and the worker
    gives the job back when it reconnects."""
    import time

    from django.db import DatabaseError, connection

    deadline = time.monotonic() + patience.total_seconds()
    wait = 0.5
    while True:
        try:
            return action()
        except DatabaseError:
            if time.monotonic() > deadline:
                raise
            connection.close()  # a new one next time
            time.sleep(wait)
            wait = min(wait * 2, 10)
