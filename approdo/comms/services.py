"""Outgoing e-mail through an outbox: written with the change that causes it, delivered by
the worker through Django's SMTP backend, retried with back-off while the failure is
temporary, and marked "non inviata" (with a resend action) only when it is permanent."""

import smtplib
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from approdo.core.files import stored_document_path

from .models import OutboundDocument, OutboundEmail

# Waits before the 2nd, 3rd, ... attempt; after the last the e-mail is "non inviata".
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)


def queue_email(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict,
    person=None,
    attachment: tuple[str, str, str] | None = None,
    documents: Sequence[tuple[str, Model]] = (),
    about: Sequence = (),
    requested_by=None,
) -> OutboundEmail | None:
    """Render an e-mail and enqueue its delivery (after commit). None when there is no address.

    `template` names `comms/email/<template>.txt`, whose first line is the subject.
    `attachment` is (file name, MIME type, text content); `documents` are (file name,
    DocumentVersion) pairs attached from their files on delivery; `about` the people an
    e-mail to someone else names (erasing one blanks it). `requested_by` is the
    member of staff whose action sends it: a permanent failure is shown on their desk.
    """
    if not to:
        return None
    if person is not None and getattr(person, "processing_restricted_at", None):
        return None  # processing restricted (GDPR art. 18): the person is not written to
    context = {
        "programme_name": settings.PROGRAMME_NAME,
        "contacts": {
            "phone": settings.PROGRAMME_PHONE,
            "address": settings.PROGRAMME_ADDRESS,
            "email": settings.PROGRAMME_EMAIL,
        },
        **context,
    }
    subject, _, body = render_to_string(
        f"comms/email/{template}.txt", context, using="text"
    ).partition("\n")
    # Every e-mail says how to reach the programme; one to the person's own address also
    # how to withdraw their consents.
    body = (
        body.strip()
        + "\n\n"
        + render_to_string("comms/email/_contacts.txt", context, using="text").strip()
    )
    if person is not None and to.lower() == (person.email or "").lower():
        body += (
            "\n\nPer revocare i consensi dati al programma (proposta alle aziende, invio del "
            f"curriculum): {consent_link(person.pk)}"
        )
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
        requested_by=requested_by,
    )
    email.about_people.set(about)
    OutboundDocument.objects.bulk_create(
        OutboundDocument(email=email, file_name=name, version_id=version.pk)
        for name, version in documents
    )
    _enqueue_delivery(email)
    return email


def _enqueue_delivery(email: OutboundEmail, *, at=None) -> None:
    from .tasks import deliver_email

    task = deliver_email.using(run_after=at) if at else deliver_email
    task.enqueue(email_id=email.pk)


def is_temporary(error: Exception) -> bool:
    """A failure worth retrying: the server unreachable, or a 4xx answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, OSError | smtplib.SMTPServerDisconnected)


def deliver(email_id: int) -> str:
    """Send one queued e-mail once; record the outcome; schedule a retry if worth it.

    The row is locked while sending, so two deliveries of the same e-mail (a retry and a
    resend) never both send it. Returns the status.
    """
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        if email.status != OutboundEmail.Status.QUEUED:
            return email.status
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            reply_to=[settings.PROGRAMME_EMAIL] if settings.PROGRAMME_EMAIL else None,
        )
        if email.attachment_name:
            message.attach(email.attachment_name, email.attachment_content, email.attachment_type)
        for name, content, content_type in _documents_of(email):
            message.attach(name, content, content_type)
        email.attempts += 1
        try:
            message.send()
        except (OSError, smtplib.SMTPException) as error:
            email.error = str(error) or type(error).__name__
            if is_temporary(error) and email.attempts <= len(RETRY_DELAYS):
                email.next_attempt_at = timezone.now() + RETRY_DELAYS[email.attempts - 1]
                _enqueue_delivery(email, at=email.next_attempt_at)
            else:
                email.status = OutboundEmail.Status.FAILED
                email.next_attempt_at = None
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.error = ""
            email.next_attempt_at = None
        email.save(update_fields=["status", "error", "attempts", "next_attempt_at", "sent_at"])
        return email.status


def _documents_of(email: OutboundEmail):
    """The attached documents still there and clean, read from their files."""
    for document in email.documents.select_related("version"):
        version = document.version
        if version is None or not version.servable:
            continue
        path = stored_document_path(version.storage_path)
        if path.exists():
            yield document.file_name, path.read_bytes(), version.content_type


@transaction.atomic
def resend_email(*, email: OutboundEmail, to: str = "") -> OutboundEmail:
    """Try a failed e-mail again, to the same or a corrected address."""
    email = OutboundEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != OutboundEmail.Status.FAILED:
        raise ValidationError("Si può inviare di nuovo solo una e-mail non recapitata.")
    if to.strip():
        try:
            validate_email(to.strip())
        except ValidationError as error:
            raise ValidationError({"to": "L'indirizzo e-mail non è valido."}) from error
        email.to = to.strip()
    email.status = OutboundEmail.Status.QUEUED
    email.attempts = 0
    email.error = ""
    email.save(update_fields=["to", "status", "attempts", "error"])
    _enqueue_delivery(email)
    return email


# The link at the foot of a person's e-mails to withdraw consents: it names the person by a
# signed id, good as long as the e-mail is kept (it can only withdraw, never give).
CONSENT_LINK_SALT = "approdo.comms.consents"


def consent_link(person_id: int) -> str:
    token = signing.dumps(person_id, salt=CONSENT_LINK_SALT)
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:consents", args=[token])


def person_id_from_consent_token(token: str) -> int | None:
    try:
        person_id = signing.loads(token, salt=CONSENT_LINK_SALT)
    except signing.BadSignature:
        return None
    return person_id if isinstance(person_id, int) else None
