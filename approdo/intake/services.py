"""Agendas, booking and the first interview's outcome."""

import uuid
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from approdo.comms.services import queue_email
from approdo.people.choices import ExitReason, FirstInterviewOutcome, Status
from approdo.people.models import Person
from approdo.people.services import change_status

from .calendar import interview_invitation_ics
from .models import AgendaSlot, Interview, InterviewKind, InterviewStatus

REMINDER_BEFORE = timedelta(hours=24)


@transaction.atomic
def create_slots(
    *, operator, day: date, first_start: time, last_end: time, minutes: int, location: str = ""
) -> list[AgendaSlot]:
    """Open consecutive interview slots in an operator's agenda; existing ones are kept."""
    if minutes < 15 or minutes > 240:
        raise ValidationError({"minutes": "La durata di un appuntamento va da 15 a 240 minuti."})
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, first_start, tzinfo=zone)
    end = datetime.combine(day, last_end, tzinfo=zone)
    if end <= start:
        raise ValidationError({"last_end": "L'ora di fine deve seguire l'ora di inizio."})
    if start < timezone.now():
        raise ValidationError({"day": "Non si possono aprire appuntamenti nel passato."})
    slots = []
    while start + timedelta(minutes=minutes) <= end:
        slots.append(
            AgendaSlot(
                operator=operator,
                starts_at=start,
                ends_at=start + timedelta(minutes=minutes),
                location=location,
            )
        )
        start += timedelta(minutes=minutes)
    if not slots:
        raise ValidationError(
            {"minutes": "Nell'intervallo indicato non entra nessun appuntamento."}
        )
    # Slots already open at the same time are kept, so only the new ones are counted.
    taken = set(
        AgendaSlot.objects.filter(
            operator=operator, starts_at__in=[slot.starts_at for slot in slots]
        ).values_list("starts_at", flat=True)
    )
    return AgendaSlot.objects.bulk_create(slot for slot in slots if slot.starts_at not in taken)


def _slot_for_booking(slot_id: int) -> AgendaSlot:
    slot = AgendaSlot.objects.select_for_update().select_related("operator").get(pk=slot_id)
    if slot.starts_at < timezone.now():
        raise ValidationError({"slot": "L'appuntamento scelto è già passato: ne scelga un altro."})
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
