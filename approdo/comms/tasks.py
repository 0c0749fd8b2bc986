from django_tasks import task

from .models import OutboundEmail
from .services import deliver


@task()
def deliver_email(email_id: int) -> None:
    """Deliver a queued e-mail (the worker runs this)."""
    email = OutboundEmail.objects.get(pk=email_id)
    if email.status != OutboundEmail.Status.SENT:
        deliver(email)
