"""Outgoing e-mail through an outbox: written with the change that causes it, delivered by
the worker through the connection of Django's SMTP backend exactly once (see transmit),
retried with back-off while the failure is temporary, and marked "non inviata" (with a
resend action) only when it is permanent. Mailings (the mailings app) go the same way."""

import re
import secrets
import smtplib
import socket
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import sanitize_address
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import F, Model, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from approdo.core.files import stored_document_path
from approdo.core.workers import when_database_is_back

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
    secret: str = "",
) -> OutboundEmail | None:
    """Render an e-mail and enqueue its delivery (after commit). None when there is no address.

    `template` names `comms/email/<template>.txt`, whose first line is the subject.
    `attachment` is (file name, MIME type, text content); `documents` are (file name,
    DocumentVersion) pairs attached from their files on delivery; `about` the people an
    e-mail to someone else names (erasing one blanks it). `requested_by` is the
    member of staff whose action sends it: a permanent failure is shown on their desk.
    `secret` is a credential in the body, blanked from it once delivered.
    """
    if not to:
        return None
    if person is not None and getattr(person, "processing_restricted_at", None):
        return None  # processing restricted (GDPR art. 18): the person is not written to
    context = {**common_context(), **context}
    subject, _, body = render_to_string(
        f"comms/email/{template}.txt", context, using="text"
    ).partition("\n")
    # Every e-mail says how to reach the programme; one to the person's own address also
    # how to withdraw their consents.
    body = body.strip() + "\n\n" + contacts_footer()
    if person is not None and to.lower() == (person.email or "").lower():
        body += (
            "\n\nPer revocare i consensi dati al programma (proposta alle aziende, invio del "
            f"curriculum): {consent_link(person.pk)}"
        )
    name, content_type, content = attachment or ("", "", "")
    email = queue_text_email(
        to=to,
        kind=kind,
        subject=subject,
        body=body,
        person=person,
        requested_by=requested_by,
        attachment_name=name,
        attachment_type=content_type,
        attachment_content=content,
        secret=secret,
        enqueue=False,  # once its documents are there
    )
    email.about_people.set(about)
    OutboundDocument.objects.bulk_create(
        OutboundDocument(email=email, file_name=name, version_id=version.pk)
        for name, version in documents
    )
    _enqueue_delivery(email)
    return email


def common_context() -> dict:
    """What every e-mail's template may name: the programme and how to reach it."""
    return {
        "programme_name": settings.PROGRAMME_NAME,
        "contacts": {
            "phone": settings.PROGRAMME_PHONE,
            "address": settings.PROGRAMME_ADDRESS,
            "email": settings.PROGRAMME_EMAIL,
        },
    }


def contacts_footer() -> str:
    return render_to_string("comms/email/_contacts.txt", common_context(), using="text").strip()


def queue_text_email(
    *,
    to: str,
    kind: str,
    subject: str,
    body: str,
    person=None,
    requested_by=None,
    enqueue: bool = True,
    **fields,
) -> OutboundEmail:
    """Enqueue an e-mail already written (see queue_email for one from a template)."""
    email = OutboundEmail.objects.create(
        person=person,
        kind=kind,
        to=to,
        subject=subject.strip(),
        body=body.strip() + "\n",
        requested_by=requested_by,
        **fields,
    )
    if enqueue:
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


def is_server_down(error: Exception) -> bool:
    """The mail server could not be reached or dropped the line: no recipient's fault."""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code == 421
    # SMTPException is an OSError too: what is left is a socket that would not connect.
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def claim_lease() -> timedelta:
    """How long a claim on a message holds: a worker silent this long has vanished."""
    return timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def claimable(*, due_only: bool = True) -> Q:
    """Messages a worker may take now: queued (and due), or claimed by a worker that vanished."""
    now = timezone.now()
    queued = Q(status=OutboundEmail.Status.QUEUED)
    if due_only:
        queued &= Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return queued | Q(status=OutboundEmail.Status.SENDING, claimed_until__lt=now)


def claim(emails: QuerySet[OutboundEmail], *, due_only: bool = True) -> OutboundEmail | None:
    """Claim the first claimable message of `emails` (committed at once, so that a worker
    killed afterwards leaves a claim that expires rather than a lock). A one-off e-mail's
    job is its schedule, so it takes its message whether due or not (`due_only=False`)."""
    with transaction.atomic():
        email = (
            emails.filter(claimable(due_only=due_only))
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
            .first()
        )
        if email is None:
            return None
        email.status = OutboundEmail.Status.SENDING
        email.claim = secrets.token_hex(16)
        email.claimed_until = timezone.now() + claim_lease()
        email.attempts += 1
        email.message_id = email.message_id or make_msgid(domain=_message_domain())
        email.save(update_fields=["status", "claim", "claimed_until", "attempts", "message_id"])
        return email


def _message_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "approdo.local"


def message_of(email: OutboundEmail, *, headers: dict | None = None) -> EmailMessage:
    """The message as it leaves: one recipient, replies to the programme's address."""
    reply_to = (headers or {}).pop("Reply-To", "") or settings.PROGRAMME_EMAIL
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Message-ID": email.message_id, **(headers or {})},
    )
    if email.attachment_name:
        message.attach(email.attachment_name, email.attachment_content, email.attachment_type)
    for name, content, content_type in _documents_of(email):
        message.attach(name, content, content_type)
    return message


class HandOverAborted(Exception):
    """The message could not be recorded as sent, so it was not handed over."""


def transmit(connection: smtplib.SMTP, message: EmailMessage, on_accepted) -> None:
    """Hand one message to the mail server so that it is delivered at most once and never lost.

    The SMTP transaction is completed by the final "." of its DATA: a server that loses the
    connection before it discards the message (RFC 5321, 4.1.1.4). So the message goes out
    whole but for that dot; `on_accepted()` then records it as sent (a commit), and only
    then is the dot written. A worker killed before the commit leaves a message the server
    never delivers, to be sent again; killed after it, a message that was handed over. A
    refusal of the dot itself raises, to be recorded in place of "sent".
    """
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    content = message.message().as_bytes(linesep="\r\n")
    connection.ehlo_or_helo_if_needed()
    code, reply = connection.mail(sender)
    if code != 250:
        connection.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = connection.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if refused:
        connection.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = connection.docmd("data")
    if code != 354:
        connection.rset()
        raise smtplib.SMTPDataError(code, reply)
    content = re.sub(rb"(?m)^\.", b"..", content)
    if not content.endswith(b"\r\n"):
        content += b"\r\n"
    connection.send(content)
    try:
        accepted = on_accepted()
    except Exception:
        connection.close()  # the server drops the unfinished message
        raise
    if not accepted:
        connection.close()
        raise HandOverAborted("Il messaggio è stato preso in carico da un altro processo.")
    connection.send(b".\r\n")
    code, reply = connection.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


def record_sent(email: OutboundEmail) -> bool:
    """Mark the message sent if this worker's claim on it still holds."""
    return bool(
        OutboundEmail.objects.filter(
            pk=email.pk, status=OutboundEmail.Status.SENDING, claim=email.claim
        ).update(
            status=OutboundEmail.Status.SENT,
            sent_at=timezone.now(),
            error="",
            next_attempt_at=None,
            claimed_until=None,
        )
    )


# How long a worker waits, its message held before the final dot, for a lost database to
# come back: well within the five minutes a mail server waits for the rest of the data.
SETTLE_PATIENCE = timedelta(seconds=60)


def record_sent_surely(email: OutboundEmail) -> bool:
    """`record_sent`, through a database lost mid-statement.

    A connection cut while the update commits leaves its outcome unknown: the row may say
    "sent" although the answer never came. Closing the mail connection then would lose a
    message recorded as sent. The server still holds the message, waiting for its dot; so
    once the database is back, its row decides: sent under this claim (or still ours to
    record) means the dot goes out, anything else means the message is dropped.
    """
    try:
        return record_sent(email)
    except DatabaseError:
        pass
    return when_database_is_back(lambda: _settle_sent(email), patience=SETTLE_PATIENCE)


def _settle_sent(email: OutboundEmail) -> bool:
    status = (
        OutboundEmail.objects.filter(pk=email.pk, claim=email.claim)
        .values_list("status", flat=True)
        .first()
    )
    return status == OutboundEmail.Status.SENT or record_sent(email)


def record_failure(
    email: OutboundEmail, error: Exception, *, retry: bool = True
) -> datetime | None:
    """After a failed hand-over: queue a retry (returned: when) or mark it not delivered.

    `retry=False` puts the message back in the queue without spending an attempt (the
    server was down: the recipient did not refuse anything).
    """
    text = _error_text(error)
    now = timezone.now()
    fields: dict[str, object] = {
        "error": text,
        "claim": "",
        "claimed_until": None,
        "sent_at": None,
    }
    if not retry:
        fields.update(status=OutboundEmail.Status.QUEUED, attempts=F("attempts") - 1)
        retry_at = None
    elif is_temporary(error) and email.attempts <= len(RETRY_DELAYS):
        retry_at = now + RETRY_DELAYS[email.attempts - 1]
        fields.update(status=OutboundEmail.Status.QUEUED, next_attempt_at=retry_at)
    else:
        retry_at = None
        fields.update(status=OutboundEmail.Status.FAILED, next_attempt_at=None)
        if email.person_id and not is_temporary(error):
            mark_address_failing(email, text)
    # A message already recorded as sent (its dot then refused) becomes failed or queued.
    OutboundEmail.objects.filter(pk=email.pk, claim=email.claim).update(**fields)
    return retry_at


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _error_text(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return f"{code} {_text(reply)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return str(error) or type(error).__name__


def mark_address_failing(email: OutboundEmail, reason: str) -> None:
    """A permanent refusal of the person's own address: shown on the file, and mailings skip
    the address until it is changed."""
    Person = apps.get_model("people", "Person")
    Person.objects.filter(
        pk=email.person_id, email__iexact=email.to, email_failing_since__isnull=True
    ).update(email_failing_since=timezone.now(), email_failure=reason[:300])


def open_connection():
    """A connection through Django's SMTP backend (host, port, TLS and login from settings)."""
    backend = get_connection()
    backend.open()
    # The final dot goes out alone after the commit: without this, Nagle's algorithm holds
    # it until the server acknowledges the message (up to 40 ms a message, delayed ACK).
    backend.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return backend


def deliver(email_id: int) -> str:
    """Send one queued one-off e-mail, exactly once; schedule a retry when worth it.

    Returns the status. A message claimed by a worker that is still within its claim is
    left to it (and looked at again when the claim runs out).
    """
    email = claim(OutboundEmail.objects.filter(pk=email_id), due_only=False)
    if email is None:
        current = OutboundEmail.objects.filter(pk=email_id).first()
        if current is None:
            return "assente"
        if current.status == OutboundEmail.Status.SENDING:
            _enqueue_delivery(current, at=current.claimed_until)
        return current.status
    backend = None
    try:
        message = message_of(email)
        backend = open_connection()
        transmit(backend.connection, message, lambda: record_sent_surely(email))
        forget_secret(email)
    except HandOverAborted:
        pass
    except DatabaseError:
        # Not recorded, so not handed over: try again once the claim runs out.
        when_database_is_back(lambda: _enqueue_delivery(email, at=email.claimed_until))
    except (OSError, smtplib.SMTPException) as error:
        retry_at = record_failure(email, error)
        if retry_at:
            _enqueue_delivery(email, at=retry_at)
    finally:
        if backend is not None:
            backend.close()
    return OutboundEmail.objects.values_list("status", flat=True).get(pk=email_id)


SECRET_REMOVED = "[collegamento personale tolto dopo l'invio]"


def forget_secret(email: OutboundEmail) -> None:
    """Once delivered, the kept copy of a message no longer carries its credential."""
    if email.secret:
        OutboundEmail.objects.filter(pk=email.pk).update(
            body=Replace("body", Value(email.secret), Value(SECRET_REMOVED)), secret=""
        )


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


# The link of the mailings' one-click unsubscribe (RFC 8058): a signed person id, good as
# long as the e-mail is kept (it can only stop mailings, never start them).
UNSUBSCRIBE_SALT = "approdo.comms.unsubscribe"


def unsubscribe_link(person_id: int) -> str:
    token = signing.dumps(person_id, salt=UNSUBSCRIBE_SALT)
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:unsubscribe", args=[token])


def person_id_from_unsubscribe_token(token: str) -> int | None:
    try:
        person_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return person_id if isinstance(person_id, int) else None
