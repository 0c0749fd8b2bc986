"""Outgoing e-mail: written now, delivered by the worker through Django's SMTP backend."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundEmail


def queue_email(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict,
    person=None,
    attachment: tuple[str, str, str] | None = None,
) -> OutboundEmail | None:
    """Render an e-mail and enqueue its delivery (after commit). None when there is no address.

    `template` names `comms/email/<template>.txt`, whose first line is the subject.
    `attachment` is (file name, MIME type, text content).
    """
    from .tasks import deliver_email

    if not to:
        return None
    context = {"programme_name": settings.PROGRAMME_NAME, **context}
    subject, _, body = render_to_string(f"comms/email/{template}.txt", context).partition("\n")
    name, content_type, content = attachment or ("", "", "")
    email = OutboundEmail.objects.create(
        person=person,
        kind=kind,
        to=to,
        subject=subject.strip(),
        body=body.strip() + "\n",
        attachment_name=name,
        attachment_type=content_type,
        attachment_content=content,
    )
    deliver_email.enqueue(email_id=email.pk)
    return email


def deliver(email: OutboundEmail) -> None:
    """Send one queued e-mail and record the outcome."""
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    if email.attachment_name:
        message.attach(email.attachment_name, email.attachment_content, email.attachment_type)
    try:
        message.send()
    except OSError as error:
        email.status = OutboundEmail.Status.FAILED
        email.error = str(error)
        email.save(update_fields=["status", "error"])
        raise
    email.status = OutboundEmail.Status.SENT
    email.sent_at = timezone.now()
    email.error = ""
    with transaction.atomic():
        email.save(update_fields=["status", "sent_at", "error"])
