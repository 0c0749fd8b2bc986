from django_tasks import task

from .services import deliver


@task()
def deliver_email(email_id: int) -> str:
    """Deliver a queued e-mail (the worker runs this); a temporary failure schedules a retry."""
    return deliver(email_id)
