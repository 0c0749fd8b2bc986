from datetime import timedelta

from django.db import DatabaseError
from django.utils import timezone
from django_tasks import task

from approdo.core.workers import when_database_is_back

from .services import send_some, write_messages

# After the database went away mid-job: when to go on.
AFTER_DATABASE_ERROR = timedelta(seconds=5)


@task()
def prepare_mailing(mailing_id: int) -> int:
    """Write one message per recipient, then start sending them."""
    try:
        written = write_messages(mailing_id)
    except DatabaseError:
        when_database_is_back(
            lambda: prepare_mailing.using(run_after=timezone.now() + AFTER_DATABASE_ERROR).enqueue(
                mailing_id=mailing_id
            )
        )
        return 0
    send_slice.enqueue(mailing_id=mailing_id)
    return written


@task()
def send_slice(mailing_id: int) -> str:
    """Send for a slice of time, then queue the next slice (at once, or when the mail server
    or a retry is due)."""
    try:
        go_on_at = send_some(mailing_id)
    except DatabaseError:
        go_on_at = timezone.now() + AFTER_DATABASE_ERROR
    if go_on_at is None:
        return "fermo"
    next_slice = send_slice.using(run_after=go_on_at) if go_on_at > timezone.now() else send_slice
    when_database_is_back(lambda: next_slice.enqueue(mailing_id=mailing_id))
    return "continua"
