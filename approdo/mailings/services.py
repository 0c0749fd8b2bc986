"""Mailings: a text with merge fields to everyone a people search finds, one message each,
handed to the mail server by the worker at the mailing's rate, exactly once.

The messages are comms' OutboundEmail rows, written when sending starts. The worker sends
them in slices (one job each, a few seconds long) that claim one message at a time, so a
worker killed mid-slice loses nothing: its job goes back to the queue, and the message it
held is claimed again when its claim runs out (see comms.services.transmit for why a
message is never handed over twice).
"""

import re
import smtplib
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format

from approdo.audit.services import record_bulk_change
from approdo.comms.models import OutboundEmail
from approdo.comms.services import (
    HandOverAborted,
    claim,
    contacts_footer,
    is_server_down,
    message_of,
    open_connection,
    queue_text_email,
    record_failure,
    record_sent_surely,
    transmit,
    unsubscribe_link,
)
from approdo.intake.models import Interview, InterviewStatus
from approdo.people.forms import PersonFilterForm
from approdo.people.models import Person
from approdo.people.permissions import visible_people
from approdo.people.selectors import filter_people

from .audiences import AUDIENCES, audience_of
from .models import Mailing, MailingTemplate

# The merge fields a text may use, as {{ name }}.
MERGE_FIELDS = {
    "nome": "il nome della persona",
    "cognome": "il cognome",
    "operatore": "il nome dell'operatore di riferimento",
    "prossimo_appuntamento": "data e ora del prossimo colloquio fissato (vuoto se non c'è)",
}
_MERGE_FIELD = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
MESSAGE_KIND = "comunicazione"
# A slice of sending is one job of the worker: short, so pausing and other jobs wait little.
SLICE_SECONDS = 15
# Waits while the mail server is unreachable: the whole mailing waits, no message is spent.
SERVER_DOWN_WAITS = (5, 10, 20, 40, 60)


def check_text(text: str, *, label: str, extra_fields: dict | None = None) -> None:
    """Refuse merge fields that do not exist and template tags (a text is not a program)."""
    if "{%" in text:
        raise ValidationError(f"{label}: i comandi tra {{% %}} non sono ammessi.")
    fields = {**MERGE_FIELDS, **(extra_fields or {})}
    unknown = sorted({name for name in _MERGE_FIELD.findall(text) if name not in fields})
    if unknown:
        names = ", ".join(f"{{{{ {name} }}}}" for name in unknown)
        known = ", ".join(f"{{{{ {name} }}}}" for name in fields)
        raise ValidationError(f"{label}: campi sconosciuti {names}. Campi disponibili: {known}.")


def merge(text: str, values: dict) -> str:
    return _MERGE_FIELD.sub(lambda match: values.get(match.group(1), ""), text)


def people_of_query(query: str, *, user=None) -> QuerySet[Person]:
    """The people the people list shows for `query` (its query string); with `user`, only
    those they read."""
    params = QueryDict(query.lstrip("?"))
    unknown = sorted(set(params) - set(PersonFilterForm.base_fields) - {"pagina", "_"})
    if unknown:
        raise ValidationError(f"Filtri sconosciuti nella ricerca: {', '.join(unknown)}.")
    form = PersonFilterForm(params)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else name}: "
            + " ".join(map(str, errors))
            for name, errors in form.errors.items()
        )
        raise ValidationError(f"Filtri non validi: {problems}")
    filters = form.filters()
    if not any(value for name, value in filters.items() if name != "order"):
        raise ValidationError("Scelga almeno un filtro: un invio a tutte le persone non si fa.")
    people = filter_people(**filters)
    return people if user is None else visible_people(user, people)


def skip_reason_of(person: dict) -> str:
    """Why a person gets no message of a mailing ("" if they get one)."""
    if person["processing_restricted_at"]:
        return OutboundEmail.SkipReason.RESTRICTED
    if person["mailing_opt_out_at"]:
        return OutboundEmail.SkipReason.OPTED_OUT
    if not person["email"]:
        return OutboundEmail.SkipReason.NO_EMAIL
    if person["email_failing_since"]:
        return OutboundEmail.SkipReason.FAILING
    return ""


def _skip_counts(people: QuerySet[Person]) -> dict:
    restricted = Q(processing_restricted_at__isnull=False)
    opted_out = ~restricted & Q(mailing_opt_out_at__isnull=False)
    no_email = ~restricted & Q(mailing_opt_out_at__isnull=True) & Q(email="")
    failing = (
        ~restricted
        & Q(mailing_opt_out_at__isnull=True)
        & ~Q(email="")
        & Q(email_failing_since__isnull=False)
    )
    return people.order_by().aggregate(
        recipients=Count("pk"),
        skipped_restricted=Count("pk", filter=restricted),
        skipped_opted_out=Count("pk", filter=opted_out),
        skipped_no_email=Count("pk", filter=no_email),
        skipped_failing=Count("pk", filter=failing),
    )


@transaction.atomic
def create_mailing(
    *,
    subject: str,
    body: str,
    people_query: str,
    reply_to: str,
    rate_per_minute: int | None = None,
    search_name: str = "",
    audience: str = "",
    audience_object: int | None = None,
    by=None,
) -> Mailing:
    """A draft mailing; its recipients are who the search (or the audience) finds when
    sending starts."""
    subject, body = subject.strip(), body.strip()
    extra_fields = AUDIENCES[audience].fields if audience else {}
    errors: dict[str, list[str]] = {}
    for field, text, label in (("subject", subject, "Oggetto"), ("body", body, "Testo")):
        if not text:
            errors[field] = [f"{label}: è obbligatorio."]
            continue
        try:
            check_text(text, label=label, extra_fields=extra_fields)
        except ValidationError as error:
            errors[field] = error.messages
    if not audience:
        try:
            people_of_query(people_query, user=by)
        except ValidationError as error:
            errors["people_query"] = error.messages
    if errors:
        raise ValidationError(errors)
    mailing = Mailing(
        subject=subject,
        body=body,
        people_query=people_query.lstrip("?"),
        search_name=search_name,
        audience=audience,
        audience_object=audience_object,
        reply_to=reply_to,
        created_by=by,
    )
    if rate_per_minute is not None:
        mailing.rate_per_minute = rate_per_minute
    mailing.full_clean()
    mailing.save()
    return mailing


def recipients_of(mailing: Mailing) -> QuerySet[Person]:
    """Who the mailing writes to: its audience, or its search as its author reads it."""
    audience = audience_of(mailing)
    if audience is not None:
        return audience.people(mailing)
    return people_of_query(mailing.people_query, user=mailing.created_by)


def audience_values(mailing: Mailing, person_ids: list[int]) -> dict[int, dict[str, str]]:
    """The merge values the mailing's audience gives each person (none for a search)."""
    audience = audience_of(mailing)
    return audience.values(mailing, person_ids) if audience is not None else {}


def merge_values(people: QuerySet[Person]):
    """The people with what the merge fields and the skip rules need, as dicts."""
    next_interview = (
        Interview.objects.filter(
            person=OuterRef("pk"),
            status=InterviewStatus.SCHEDULED,
            scheduled_at__gte=timezone.now(),
        )
        .order_by("scheduled_at")
        .values("scheduled_at")[:1]
    )
    return (
        people.order_by("pk")
        .annotate(next_interview_at=Subquery(next_interview))
        .values(
            "pk",
            "first_name",
            "last_name",
            "email",
            "mailing_opt_out_at",
            "processing_restricted_at",
            "email_failing_since",
            "case_manager__first_name",
            "case_manager__last_name",
            "next_interview_at",
        )
    )


def values_for(person: dict) -> dict:
    moment = person["next_interview_at"]
    return {
        "nome": person["first_name"],
        "cognome": person["last_name"],
        "operatore": " ".join(
            filter(None, (person["case_manager__first_name"], person["case_manager__last_name"]))
        ),
        "prossimo_appuntamento": date_format(
            timezone.localtime(moment), "l j F Y \\a\\l\\l\\e H:i"
        ).lower()
        if moment
        else "",
    }


def compose(
    mailing: Mailing, person: dict, footer: str, extra: dict | None = None
) -> tuple[str, str]:
    """Subject and body of one person's message, with the footer every mailing carries."""
    values = {**values_for(person), **(extra or {})}
    body = (
        merge(mailing.body, values).strip()
        + "\n\n"
        + footer
        + "\n\nPer non ricevere più queste comunicazioni: "
        + unsubscribe_link(person["pk"])
    )
    return merge(mailing.subject, values).strip(), body


def preview(mailing: Mailing, person_id: int) -> tuple[str, str]:
    person = merge_values(recipients_of(mailing).filter(pk=person_id)).first()
    if person is None:
        raise ValidationError("La persona scelta non è tra i destinatari.")
    extra = audience_values(mailing, [person_id]).get(person_id)
    return compose(mailing, person, contacts_footer(), extra)


def send_test(mailing: Mailing, *, to_user) -> OutboundEmail:
    """The mailing as its first recipient would get it, to the member of staff's own address."""
    if not to_user.email:
        raise ValidationError("Il suo profilo non ha un indirizzo e-mail per la prova.")
    first = merge_values(recipients_of(mailing)).first()
    sample = first or {
        "pk": 0,
        "first_name": "Nome",
        "last_name": "Cognome",
        "case_manager__first_name": "",
        "case_manager__last_name": "",
        "next_interview_at": None,
    }
    extra = audience_values(mailing, [sample["pk"]]).get(sample["pk"])
    subject, body = compose(mailing, sample, contacts_footer(), extra)
    return queue_text_email(
        to=to_user.email,
        kind="prova di comunicazione",
        subject=f"[Prova] {subject}",
        body=body,
        requested_by=to_user,
    )


def start_sending(mailing: Mailing, *, by=None) -> Mailing:
    """From draft to sending: the worker writes the messages and sends them."""
    from .tasks import prepare_mailing

    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.state != Mailing.State.DRAFT:
            raise ValidationError("L'invio è già partito.")
        mailing.state = Mailing.State.SENDING
        mailing.started_at = timezone.now()
        mailing.save(update_fields=["state", "started_at"])
        prepare_mailing.enqueue(mailing_id=mailing.pk)
    if by is not None:
        record_bulk_change(
            actor=by,
            model=Mailing,
            object_pk=str(mailing.pk),
            object_repr=str(mailing),
            detail=f"Invio avviato: «{mailing.subject}»",
        )
    return mailing


def write_messages(mailing_id: int) -> int:
    """One message per person the search finds now (a skipped one for who gets none), in one
    transaction; done once, however often it runs. Returns how many were written."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing_id)
        if mailing.state == Mailing.State.DRAFT or mailing.messages.exists():
            return 0
        footer = contacts_footer()
        written = 0
        for chunk in _chunks(merge_values(recipients_of(mailing)).iterator(chunk_size=2000)):
            extra = audience_values(mailing, [person["pk"] for person in chunk])
            batch = []
            for person in chunk:
                reason = skip_reason_of(person)
                subject, body = compose(mailing, person, footer, extra.get(person["pk"]))
                batch.append(
                    OutboundEmail(
                        mailing=mailing,
                        person_id=person["pk"],
                        kind=MESSAGE_KIND,
                        to="" if reason else person["email"],
                        subject=subject[:200],
                        body="" if reason else body,
                        status=(
                            OutboundEmail.Status.SKIPPED if reason else OutboundEmail.Status.QUEUED
                        ),
                        skip_reason=reason,
                    )
                )
            OutboundEmail.objects.bulk_create(batch)
            written += len(batch)
        return written


def _chunks(rows, size: int = 2000):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def pause(mailing: Mailing) -> None:
    if not Mailing.objects.filter(pk=mailing.pk, state=Mailing.State.SENDING).update(
        state=Mailing.State.PAUSED
    ):
        raise ValidationError("Si può mettere in pausa solo un invio in corso.")


def resume(mailing: Mailing) -> None:
    from .tasks import send_slice

    with transaction.atomic():
        if not Mailing.objects.filter(pk=mailing.pk, state=Mailing.State.PAUSED).update(
            state=Mailing.State.SENDING
        ):
            raise ValidationError("Si può riprendere solo un invio in pausa.")
        send_slice.enqueue(mailing_id=mailing.pk)


@contextmanager
def sending_lock(mailing_id: int):
    """One slice at a time per mailing (the rate is the mailing's, not per worker). A
    session lock: a worker that dies or loses the database lets go of it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, mailing_id])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, mailing_id])
            except DatabaseError:
                connection.close()  # the lock went with the connection


_LOCK_CLASS = 8_025


def send_some(mailing_id: int) -> datetime | None:
    """Send the mailing's messages for a slice of time; returns when to go on (None: not
    now, it is paused, done, or another slice holds it)."""
    with sending_lock(mailing_id) as held:
        if not held:
            return None
        return _send_for_a_while(mailing_id)


def _send_for_a_while(mailing_id: int) -> datetime | None:
    mailing = Mailing.objects.get(pk=mailing_id)
    interval = 60 / mailing.rate_per_minute
    headers_base = {"Reply-To": mailing.reply_to}
    messages = OutboundEmail.objects.filter(mailing_id=mailing_id)
    deadline = time.monotonic() + SLICE_SECONDS
    backend = None
    try:
        while time.monotonic() < deadline:
            started = time.monotonic()
            if Mailing.objects.filter(pk=mailing_id).values_list("state", flat=True)[0] != (
                Mailing.State.SENDING
            ):
                return None
            email = claim(messages)
            if email is None:
                return _finish_or_wait(mailing_id)
            if email.person_id is None or _opted_out_meanwhile(email.person_id, email):
                continue
            link = unsubscribe_link(email.person_id)
            headers = {
                **headers_base,
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            try:
                backend = backend or open_connection()
                message = message_of(email, headers=headers)
                transmit(backend.connection, message, lambda: record_sent_surely(email))  # noqa: B023
            except HandOverAborted:
                _close(backend)
                backend = None
            except DatabaseError:
                _close(backend)
                backend = None
                connection.close()
                return timezone.now() + timedelta(seconds=SERVER_DOWN_WAITS[0])
            except (OSError, smtplib.SMTPException) as error:
                if is_server_down(error):
                    record_failure(email, error, retry=False)
                    _close(backend)
                    backend = None
                    return _wait_for_server(mailing_id, error)
                record_failure(email, error)
            else:
                if mailing.server_failures:
                    Mailing.objects.filter(pk=mailing_id).update(
                        server_failures=0, waiting_reason=""
                    )
                    mailing.server_failures = 0
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
        return timezone.now()
    finally:
        _close(backend)


def _close(backend) -> None:
    if backend is not None:
        try:
            backend.close()
        except (OSError, smtplib.SMTPException):
            pass


def _opted_out_meanwhile(person_id: int, email: OutboundEmail) -> bool:
    """A person who unsubscribed (or was restricted) after the mailing started gets nothing."""
    person = Person.objects.filter(pk=person_id).values(
        "mailing_opt_out_at", "processing_restricted_at"
    )[0]
    reason = (
        OutboundEmail.SkipReason.RESTRICTED
        if person["processing_restricted_at"]
        else OutboundEmail.SkipReason.OPTED_OUT
        if person["mailing_opt_out_at"]
        else ""
    )
    if reason:
        OutboundEmail.objects.filter(pk=email.pk, claim=email.claim).update(
            status=OutboundEmail.Status.SKIPPED, skip_reason=reason, claimed_until=None
        )
    return bool(reason)


def _wait_for_server(mailing_id: int, error: Exception) -> datetime:
    mailing = Mailing.objects.get(pk=mailing_id)
    wait = SERVER_DOWN_WAITS[min(mailing.server_failures, len(SERVER_DOWN_WAITS) - 1)]
    retry_at = timezone.now() + timedelta(seconds=wait)
    Mailing.objects.filter(pk=mailing_id).update(
        server_failures=mailing.server_failures + 1,
        waiting_reason=(
            f"Server di posta non raggiungibile ({str(error)[:150] or type(error).__name__}): "
            f"nuovo tentativo alle {timezone.localtime(retry_at):%H:%M:%S}."
        ),
    )
    return retry_at


def _finish_or_wait(mailing_id: int) -> datetime | None:
    """Nothing to claim now: done when nothing is pending, else when the next one is due."""
    pending = OutboundEmail.objects.filter(
        mailing_id=mailing_id,
        status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING],
    ).aggregate(retry=Min("next_attempt_at"), claim=Min("claimed_until"), any=Min("pk"))
    if pending["any"] is None:
        Mailing.objects.filter(pk=mailing_id, state=Mailing.State.SENDING).update(
            state=Mailing.State.DONE, finished_at=timezone.now(), waiting_reason=""
        )
        return None
    due = [moment for moment in (pending["retry"], pending["claim"]) if moment]
    return min(due) if due else timezone.now() + timedelta(seconds=1)


def progress(mailing: Mailing) -> dict:
    """Where a mailing stands; before sending starts, what its search finds now."""
    if mailing.state == Mailing.State.DRAFT:
        counts = _skip_counts(recipients_of(mailing))
        skipped = sum(value for key, value in counts.items() if key.startswith("skipped_"))
        return {**counts, "sent": 0, "failed": 0, "pending": counts["recipients"] - skipped}
    return message_counts(OutboundEmail.objects.filter(mailing=mailing))


def message_counts(messages: QuerySet[OutboundEmail]) -> dict:
    status, reason = OutboundEmail.Status, OutboundEmail.SkipReason
    return messages.order_by().aggregate(
        recipients=Count("pk"),
        sent=Count("pk", filter=Q(status=status.SENT)),
        failed=Count("pk", filter=Q(status=status.FAILED)),
        pending=Count("pk", filter=Q(status__in=[status.QUEUED, status.SENDING])),
        skipped_restricted=Count("pk", filter=Q(skip_reason=reason.RESTRICTED)),
        skipped_opted_out=Count("pk", filter=Q(skip_reason=reason.OPTED_OUT)),
        skipped_no_email=Count("pk", filter=Q(skip_reason=reason.NO_EMAIL)),
        skipped_failing=Count("pk", filter=Q(skip_reason=reason.FAILING)),
    )


@transaction.atomic
def save_template(*, template: MailingTemplate, by) -> MailingTemplate:
    for text, label in ((template.subject, "Oggetto"), (template.body, "Testo")):
        check_text(text, label=label)
    template.updated_by = by
    template.full_clean()
    template.save()
    return template
