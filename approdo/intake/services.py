"""Agendas, booking and the first interview's outcome."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from approdo.comms.services import queue_email
from approdo.people.choices import ExitReason, FirstInterviewOutcome, Status
from approdo.people.models import Person
from approdo.people.services import change_status

from . import selectors
from .calendar import interview_invitation_ics, operator_feed_ics
from .models import AgendaSlot, CalendarFeed, Closure, Interview, InterviewKind, InterviewStatus

REMINDER_BEFORE = timedelta(hours=24)


MAX_REPEAT_WEEKS = 26
MAX_CLOSURE_DAYS = 366


@dataclass
class OpenedSlots:
    slots: list[AgendaSlot]
    closed_days: dict[date, str]  # days of the repetition skipped, with why


@transaction.atomic
def create_slots(
    *,
    operator,
    day: date,
    first_start: time,
    last_end: time,
    minutes: int,
    location: str = "",
    repeat_until: date | None = None,
    weekdays: list[int] | None = None,
) -> OpenedSlots:
    """Open consecutive interview slots in an operator's agenda, on one day or every week
    on the chosen weekdays up to `repeat_until`. Existing slots are kept; public holidays
    and closures are skipped."""
    if minutes < 15 or minutes > 240:
        raise ValidationError({"minutes": "La durata di un appuntamento va da 15 a 240 minuti."})
    if last_end <= first_start:
        raise ValidationError({"last_end": "L'ora di fine deve seguire l'ora di inizio."})
    days = _days_to_open(day, repeat_until, weekdays)
    closed = selectors.closed_days(operator=operator, first=days[0], last=days[-1])
    if repeat_until is None and day in closed:
        raise ValidationError(
            {"day": f"Il {day:%d/%m/%Y} l'agenda è chiusa ({closed[day]}): scelga un altro giorno."}
        )
    zone = timezone.get_current_timezone()
    length = timedelta(minutes=minutes)
    slots = []
    for open_day in days:
        if open_day in closed:
            continue
        start = datetime.combine(open_day, first_start, tzinfo=zone)
        end = datetime.combine(open_day, last_end, tzinfo=zone)
        while start + length <= end:
            if start >= timezone.now():
                slots.append(
                    AgendaSlot(
                        operator=operator,
                        starts_at=start,
                        ends_at=start + length,
                        location=location,
                    )
                )
            start += length
    if not slots:
        raise ValidationError(
            {"minutes": "Nell'intervallo indicato non entra nessun appuntamento futuro."}
        )
    # Slots already open at the same time are kept, so only the new ones are counted.
    taken = set(
        AgendaSlot.objects.filter(
            operator=operator, starts_at__in=[slot.starts_at for slot in slots]
        ).values_list("starts_at", flat=True)
    )
    created = AgendaSlot.objects.bulk_create(slot for slot in slots if slot.starts_at not in taken)
    return OpenedSlots(
        slots=created, closed_days={d: why for d, why in closed.items() if d in days}
    )


def _days_to_open(day: date, repeat_until: date | None, weekdays: list[int] | None) -> list[date]:
    if day < timezone.localdate():
        raise ValidationError({"day": "Non si possono aprire appuntamenti nel passato."})
    if repeat_until is None:
        return [day]
    if repeat_until < day:
        raise ValidationError({"repeat_until": "Questa data viene prima del primo giorno."})
    if repeat_until > day + timedelta(weeks=MAX_REPEAT_WEEKS):
        raise ValidationError(
            {
                "repeat_until": f"Si possono ripetere gli appuntamenti per al massimo "
                f"{MAX_REPEAT_WEEKS} settimane."
            }
        )
    chosen = set(weekdays or [day.weekday()])
    days = [
        day + timedelta(days=offset)
        for offset in range((repeat_until - day).days + 1)
        if (day + timedelta(days=offset)).weekday() in chosen
    ]
    if not days:
        raise ValidationError(
            {"weekdays": "Nel periodo indicato non cade nessuno dei giorni scelti."}
        )
    return days


@dataclass
class AddedClosure:
    closure: Closure
    removed_slots: int
    interviews_to_move: list[Interview]


@transaction.atomic
def add_closure(*, starts_on: date, ends_on: date, operator, reason: str, by) -> AddedClosure:
    """Close an agenda (one operator's, or the programme's when `operator` is None): the
    free slots of those days go; booked interviews stay until the operator moves them."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "Questa data viene prima di quella iniziale."})
    if ends_on < timezone.localdate():
        raise ValidationError({"ends_on": "Una chiusura tutta nel passato non cambia l'agenda."})
    if (ends_on - starts_on).days >= MAX_CLOSURE_DAYS:
        raise ValidationError({"ends_on": "Una chiusura dura al massimo un anno."})
    if not reason.strip():
        raise ValidationError({"reason": "Indichi il motivo: lo vedranno i colleghi."})
    closure = Closure.objects.create(
        starts_on=starts_on,
        ends_on=ends_on,
        operator=operator,
        reason=reason.strip(),
        created_by=by,
    )
    interviews = selectors.interviews_on_closed_days(closure)
    free = selectors.free_slots_between(operator=operator, first=starts_on, last=ends_on)
    removed, _ = AgendaSlot.objects.filter(pk__in=list(free.values_list("pk", flat=True))).delete()
    return AddedClosure(closure=closure, removed_slots=removed, interviews_to_move=list(interviews))


def remove_closure(*, closure: Closure) -> None:
    """The days open again; slots are not reopened by themselves."""
    closure.delete()


def create_calendar_feed(operator) -> str:
    """A new private calendar address for the operator (any previous one stops working);
    the token is returned once and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        operator=operator, defaults={"token_hash": hash_feed_token(token), "last_read_at": None}
    )
    return token


def revoke_calendar_feed(operator) -> None:
    CalendarFeed.objects.filter(operator=operator).delete()


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def read_calendar_feed(token: str) -> tuple[CalendarFeed, str] | None:
    """The operator's appointments as iCalendar, for a valid token of an active account."""
    feed = selectors.feed_for_token_hash(hash_feed_token(token))
    if feed is None:
        return None
    now = timezone.now()
    # Calendar apps poll often: the time of the last read is kept to the hour.
    if feed.last_read_at is None or now - feed.last_read_at > timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    closures = selectors.upcoming_closures(feed.operator)
    return feed, operator_feed_ics(
        feed.operator, selectors.feed_interviews(feed.operator), closures
    )


def _slot_for_booking(slot_id: int) -> AgendaSlot:
    slot = AgendaSlot.objects.select_for_update().select_related("operator").get(pk=slot_id)
    if slot.starts_at < timezone.now():
        raise ValidationError({"slot": "L'appuntamento scelto è già passato: ne scelga un altro."})
    day = timezone.localtime(slot.starts_at).date()
    if closure := Closure.objects.filter(
        selectors.closures_of(slot.operator), starts_on__lte=day, ends_on__gte=day
    ).first():
        raise ValidationError(
            {
                "slot": f"Quel giorno l'agenda è chiusa ({closure.reason}): "
                "scelga un altro appuntamento."
            }
        )
    if slot.interviews.filter(
        status__in=[InterviewStatus.SCHEDULED, InterviewStatus.HELD]
    ).exists():
        raise ValidationError(
            {"slot": "L'appuntamento scelto è stato appena occupato: ne scelga un altro."}
        )
    return slot


def _send_invitation(interview: Interview, *, template: str) -> None:
    person = interview.person
    queue_email(
        to=person.email,
        kind="invito colloquio",
        template=template,
        person=person,
        context={
            "person": person,
            "interview": interview,
            "operator_name": interview.operator.get_full_name() or interview.operator.username,
        },
        attachment=(
            "invito.ics",
            "text/calendar; method=REQUEST",
            interview_invitation_ics(interview),
        ),
        requested_by=interview.created_by,
    )
    _schedule_reminder(interview)


def _schedule_reminder(interview: Interview) -> None:
    from .tasks import send_interview_reminder

    remind_at = interview.scheduled_at - REMINDER_BEFORE
    if remind_at > timezone.now() and interview.person.email:
        send_interview_reminder.using(run_after=remind_at).enqueue(
            interview_id=interview.pk, scheduled_at=interview.scheduled_at.isoformat()
        )


@transaction.atomic
def book_first_interview(*, person: Person, slot_id: int, mode: str, by) -> Interview:
    """Book the access interview in a free slot and send the invitation with its .ics."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Status.REGISTRATO or person.first_interview_at:
        raise ValidationError("Il primo colloquio di questa persona è già stato svolto.")
    if person.interviews.filter(
        kind=InterviewKind.PRIMO, status=InterviewStatus.SCHEDULED
    ).exists():
        raise ValidationError(
            "Questa persona ha già un primo colloquio fissato: lo sposti invece di "
            "fissarne un altro."
        )
    slot = _slot_for_booking(slot_id)
    try:
        interview = Interview.objects.create(
            person=person,
            operator=slot.operator,
            slot=slot,
            kind=InterviewKind.PRIMO,
            mode=mode,
            scheduled_at=slot.starts_at,
            location=slot.location,
            created_by=by,
            calendar_uid=f"colloquio-{uuid.uuid4()}@approdo",
        )
    except IntegrityError as error:
        raise ValidationError(
            "L'appuntamento è stato appena occupato: ne scelga un altro."
        ) from error
    _send_invitation(interview, template="interview_invitation")
    return interview


@transaction.atomic
def book_follow_up(*, person: Person, slot_id: int, mode: str, by) -> Interview:
    """Book a follow-up interview (monitoraggio) of a person in charge, with the invitation."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Status.IN_CARICO:
        raise ValidationError("I colloqui di monitoraggio si fissano per chi è in carico.")
    if person.interviews.filter(
        kind=InterviewKind.MONITORAGGIO, status=InterviewStatus.SCHEDULED
    ).exists():
        raise ValidationError(
            "C'è già un colloquio di monitoraggio fissato: lo sposti invece di fissarne un altro."
        )
    slot = _slot_for_booking(slot_id)
    try:
        interview = Interview.objects.create(
            person=person,
            operator=slot.operator,
            slot=slot,
            kind=InterviewKind.MONITORAGGIO,
            mode=mode,
            scheduled_at=slot.starts_at,
            location=slot.location,
            created_by=by,
            calendar_uid=f"colloquio-{uuid.uuid4()}@approdo",
        )
    except IntegrityError as error:
        raise ValidationError(
            "L'appuntamento è stato appena occupato: ne scelga un altro."
        ) from error
    _send_invitation(interview, template="interview_invitation")
    return interview


@transaction.atomic
def record_follow_up(*, interview: Interview, notes: str, by) -> Interview:
    """A follow-up interview was held: its notes go to the file's history."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if interview.kind != InterviewKind.MONITORAGGIO:
        raise ValidationError("Questo non è un colloquio di monitoraggio.")
    if not interview.outcome_can_be_recorded:
        raise ValidationError(
            "Il colloquio non è in programma o è più avanti: registri l'esito dopo averlo svolto."
        )
    if not notes.strip():
        raise ValidationError({"notes": "Scriva com'è andato il colloquio."})
    interview.status, interview.notes = InterviewStatus.HELD, notes.strip()
    interview.save(update_fields=["status", "notes"])
    return interview


@transaction.atomic
def reschedule_interview(*, interview: Interview, slot_id: int, mode: str, by) -> Interview:
    """Move an interview to another slot: the old one is marked moved, the invite updated."""
    interview = Interview.objects.select_for_update().select_related("person").get(pk=interview.pk)
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError("Si possono spostare solo i colloqui ancora da svolgere.")
    slot = _slot_for_booking(slot_id)
    interview.status = InterviewStatus.RESCHEDULED
    interview.save(update_fields=["status"])
    moved = Interview.objects.create(
        person=interview.person,
        operator=slot.operator,
        slot=slot,
        kind=interview.kind,
        mode=mode,
        scheduled_at=slot.starts_at,
        location=slot.location,
        created_by=by,
        rescheduled_from=interview,
        calendar_uid=interview.calendar_uid,
        calendar_sequence=interview.calendar_sequence + 1,
    )
    _send_invitation(moved, template="interview_rescheduled")
    return moved


@transaction.atomic
def cancel_interview(*, interview: Interview, reason: str, by=None) -> Interview:
    """Call an interview off: the person's calendar entry is withdrawn (METHOD:CANCEL, same
    UID, SEQUENCE + 1) and the reason kept in its notes."""
    interview = Interview.objects.select_for_update().select_related("person").get(pk=interview.pk)
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError("Si possono annullare solo i colloqui ancora da svolgere.")
    if not reason.strip():
        raise ValidationError({"reason": "Scriva perché il colloquio viene annullato."})
    interview.status = InterviewStatus.CANCELLED
    interview.calendar_sequence += 1
    interview.notes = f"Annullato: {reason.strip()}"
    interview.save(update_fields=["status", "calendar_sequence", "notes"])
    person = interview.person
    queue_email(
        to=person.email,
        kind="colloquio annullato",
        template="interview_cancelled",
        person=person,
        context={"person": person, "interview": interview},
        attachment=(
            "annullamento.ics",
            "text/calendar; method=CANCEL",
            interview_invitation_ics(interview, method="CANCEL"),
        ),
        requested_by=by,
    )
    return interview


@transaction.atomic
def record_no_show(*, interview: Interview, by) -> Interview:
    """The person did not come: the interview is closed, the person stays in the queue."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError("Il colloquio non è più in programma.")
    if not interview.no_show_can_be_recorded:
        raise ValidationError("Non si può segnare l'assenza prima dell'ora del colloquio.")
    interview.status = InterviewStatus.NO_SHOW
    interview.save(update_fields=["status"])
    return interview


@transaction.atomic
def record_first_interview_outcome(
    *, interview: Interview, outcome: str, readiness: str, notes: str, by
) -> Interview:
    """Record the access interview: in target people are taken in charge, others leave."""
    interview = Interview.objects.select_for_update().select_related("person").get(pk=interview.pk)
    if interview.kind != InterviewKind.PRIMO:
        raise ValidationError("L'esito si registra sul primo colloquio.")
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(
            "L'esito di questo colloquio è già stato registrato o il colloquio "
            "non è più in programma."
        )
    if not interview.outcome_can_be_recorded:
        raise ValidationError(
            "Il colloquio è in programma più avanti: registri l'esito dopo averlo svolto."
        )
    if outcome == FirstInterviewOutcome.IN_TARGET and not readiness:
        raise ValidationError(
            {
                "readiness": "Per chi è in target indichi la valutazione: "
                "pronto, non pronto o profilo fragile."
            }
        )
    if outcome != FirstInterviewOutcome.IN_TARGET:
        readiness = ""
    interview.status = InterviewStatus.HELD
    interview.outcome = outcome
    interview.readiness = readiness
    interview.notes = notes
    interview.save(update_fields=["status", "outcome", "readiness", "notes"])

    person = interview.person
    person.first_interview_at = interview.scheduled_at
    person.first_interview_outcome = outcome
    person.readiness = readiness
    # Whoever holds the first interview follows the person, at their desk.
    interviewer = interview.operator or by
    if person.case_manager_id is None and interviewer is not None:
        person.case_manager = interviewer
    if person.team_id is None:
        person.team_id = getattr(interviewer, "team_id", None)
    person.save(
        update_fields=[
            "first_interview_at",
            "first_interview_outcome",
            "readiness",
            "team",
            "case_manager",
            "updated_at",
        ]
    )
    if outcome == FirstInterviewOutcome.IN_TARGET:
        change_status(
            person=person,
            to_status=Status.IN_CARICO,
            by=by,
            note="Presa in carico dopo il primo colloquio",
        )
    else:
        change_status(
            person=person,
            to_status=Status.FUORI_PROTOCOLLO,
            by=by,
            reason=ExitReason.NON_IN_TARGET,
            note=notes,
        )
    return interview
