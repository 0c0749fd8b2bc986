from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from approdo.intake import services
from approdo.intake.models import Interview, InterviewStatus
from approdo.people.choices import ExitReason, Status
from tests.factories import PersonFactory, slot_for, working_day


def _ics(message):
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "invito.ics"
    return Calendar.from_ical(attachment.get_content())


def held_an_hour_ago(person, operator) -> Interview:
    """A first interview booked for an hour ago, waiting for its outcome."""
    return Interview.objects.create(
        person=person,
        operator=operator,
        kind="primo colloquio",
        mode="presenza",
        scheduled_at=timezone.now() - timedelta(hours=1),
        calendar_uid="x",
    )


@pytest.mark.django_db
def test_booking_sends_an_invitation_with_an_ics_and_schedules_a_reminder(
    operator, mailbox, run_tasks
):
    person = PersonFactory()
    slot = slot_for(operator, days_ahead=3)
    interview = services.book_first_interview(
        person=person, slot_id=slot.pk, mode="presenza", by=operator
    )
    assert interview.scheduled_at == slot.starts_at
    reminder = DBTaskResult.objects.get(task_path="approdo.intake.tasks.send_interview_reminder")
    assert reminder.run_after == slot.starts_at - timedelta(hours=24)
    run_tasks()  # the reminder is not due yet: only the invitation leaves
    [message] = mailbox
    assert "primo colloquio" in message["Subject"]
    calendar = _ics(message)
    event = calendar.walk("VEVENT")[0]
    assert event["dtstart"].dt == slot.starts_at
    assert str(event["location"]) == "Via Capramozza 13, Bologna"
    assert list(calendar.walk("VTIMEZONE")), "the invite carries its time zone"


@pytest.mark.django_db
def test_a_slot_cannot_be_booked_twice(operator):
    slot = slot_for(operator)
    services.book_first_interview(
        person=PersonFactory(), slot_id=slot.pk, mode="video", by=operator
    )
    with pytest.raises(ValidationError, match="appena occupato"):
        services.book_first_interview(
            person=PersonFactory(), slot_id=slot.pk, mode="video", by=operator
        )


@pytest.mark.django_db
def test_rescheduling_keeps_the_calendar_uid_and_raises_the_sequence(operator, mailbox, run_tasks):
    person = PersonFactory()
    first = services.book_first_interview(
        person=person, slot_id=slot_for(operator).pk, mode="presenza", by=operator
    )
    moved = services.reschedule_interview(
        interview=first, slot_id=slot_for(operator, hour=15).pk, mode="telefono", by=operator
    )
    first.refresh_from_db()
    assert first.status == InterviewStatus.RESCHEDULED
    assert moved.rescheduled_from == first
    assert (moved.calendar_uid, moved.calendar_sequence) == (first.calendar_uid, 1)
    run_tasks()
    event = _ics(mailbox[-1]).walk("VEVENT")[0]
    assert event["sequence"] == 1
    assert "spostato" in mailbox[-1]["Subject"]


@pytest.mark.django_db
def test_reminder_is_not_sent_for_a_moved_interview(operator, mailbox):
    from approdo.intake.tasks import send_interview_reminder

    person = PersonFactory()
    first = services.book_first_interview(
        person=person, slot_id=slot_for(operator).pk, mode="presenza", by=operator
    )
    services.reschedule_interview(
        interview=first, slot_id=slot_for(operator, hour=15).pk, mode="presenza", by=operator
    )
    assert (
        send_interview_reminder.call(
            interview_id=first.pk, scheduled_at=first.scheduled_at.isoformat()
        )
        is False
    )


@pytest.mark.django_db
def test_in_target_outcome_takes_the_person_in_charge(operator):
    person = PersonFactory()
    interview = held_an_hour_ago(person, operator)
    services.record_first_interview_outcome(
        interview=interview,
        outcome="in target",
        readiness="profilo fragile",
        notes="Cerca lavoro vicino a casa",
        by=operator,
    )
    person.refresh_from_db()
    assert person.status == Status.IN_CARICO
    assert (person.first_interview_outcome, person.readiness) == ("in target", "profilo fragile")
    assert person.first_interview_at == interview.scheduled_at
    # Whoever held the interview follows the person; the notes are in the file's history.
    assert person.case_manager == operator
    from approdo.people.timeline import person_timeline

    assert any("Cerca lavoro vicino a casa" in event.detail for event in person_timeline(person))


@pytest.mark.django_db
def test_not_in_target_outcome_moves_the_person_out_and_tells_them(operator, mailbox, run_tasks):
    person = PersonFactory()
    interview = held_an_hour_ago(person, operator)
    services.record_first_interview_outcome(
        interview=interview,
        outcome="fuori target",
        readiness="pronto",
        notes="Ha già un lavoro",
        by=operator,
    )
    person.refresh_from_db()
    assert (person.status, person.exit_reason) == (
        Status.FUORI_PROTOCOLLO,
        ExitReason.NON_IN_TARGET,
    )
    assert person.readiness == ""
    run_tasks()
    assert "riammesso" in mailbox[0].get_content()


@pytest.mark.django_db
def test_in_target_needs_a_readiness_and_nothing_is_half_saved(operator):
    person = PersonFactory()
    interview = held_an_hour_ago(person, operator)
    with pytest.raises(ValidationError):
        services.record_first_interview_outcome(
            interview=interview, outcome="in target", readiness="", notes="", by=operator
        )
    interview.refresh_from_db()
    person.refresh_from_db()
    assert interview.status == InterviewStatus.SCHEDULED
    assert person.status == Status.REGISTRATO


@pytest.mark.django_db
def test_no_show_keeps_the_person_in_the_queue(operator):
    from approdo.people.selectors import intake_queue

    person = PersonFactory()
    interview = held_an_hour_ago(person, operator)
    services.record_no_show(interview=interview, by=operator)
    assert person in intake_queue()


@pytest.mark.django_db
def test_slots_are_opened_over_an_interval(operator):
    from datetime import time

    day = working_day(days_ahead=2)
    opened = services.create_slots(
        operator=operator, day=day, first_start=time(9), last_end=time(12), minutes=45
    )
    assert len(opened.slots) == 4
    again = services.create_slots(
        operator=operator, day=day, first_start=time(9), last_end=time(13), minutes=45
    )
    assert len(again.slots) == 1  # 12:00–12:45 is new, the first four were open already
    with pytest.raises(ValidationError):
        services.create_slots(
            operator=operator, day=day, first_start=time(12), last_end=time(9), minutes=45
        )


@pytest.mark.django_db
def test_a_phone_interview_invitation_does_not_send_the_person_to_the_office(
    operator, mailbox, run_tasks
):
    person = PersonFactory()
    services.book_first_interview(
        person=person, slot_id=slot_for(operator).pk, mode="telefono", by=operator
    )
    run_tasks()
    body = mailbox[-1].get_body(preferencelist=("plain",)).get_content()
    assert "la chiameremo noi" in body
    assert "Via Capramozza" not in body
    assert "LOCATION:al telefono" in _ics(mailbox[-1]).to_ical().decode().replace("\r\n ", "")
