"""Steps the browser journeys of the person's area share."""

import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.timezone import localtime
from icalendar import Calendar
from playwright.sync_api import expect

from approdo.intake.models import InterviewStatus
from approdo.intake.services import book_follow_up
from approdo.people.choices import Status
from tests.e2e.conftest import assert_accessible, tick
from tests.factories import ready_person, slot_for


def phone_page(browser, base_url: str):
    page = browser.new_context(
        base_url=base_url, locale="it-IT", viewport={"width": 390, "height": 844}
    ).new_page()
    page.set_default_timeout(30_000)
    return page


@dataclass
class Appointment:
    person: object
    first: object  # the interview booked
    later: object  # a free slot of the same operator to move it to


def someone_with_an_appointment(operator, mailbox, run_tasks, **person_fields) -> Appointment:
    """A person in charge with a follow-up in three days and a free slot three days later;
    the invitation already sent and the mailbox emptied."""
    person = ready_person(case_manager=operator, status=Status.IN_CARICO, **person_fields)
    first = book_follow_up(
        person=person, slot_id=slot_for(operator, days_ahead=3).pk, mode="presenza", by=operator
    )
    later = slot_for(operator, days_ahead=6, hour=11)
    run_tasks()
    mailbox.clear()
    return Appointment(person, first, later)


def move_the_appointment(page, appointment: Appointment, mailbox, run_tasks) -> None:
    """From the area's home: move it to the later slot; the new time is kept and the
    invitation follows with the same UID and SEQUENCE 1."""
    page.get_by_role("link", name=re.compile("^Sposta")).click()
    assert_accessible(page)
    when = localtime(appointment.later.starts_at)
    tick(page.get_by_label(date_format(when, r"l j F Y, \o\r\e H:i")))
    page.get_by_role("button", name="Sposta qui").click()
    expect(page.get_by_text("Appuntamento spostato")).to_be_visible()
    assert_accessible(page)
    moved = appointment.person.interviews.get(status=InterviewStatus.SCHEDULED)
    assert moved.slot == appointment.later
    run_tasks()
    [attachment] = list(mailbox[-1].iter_attachments())
    invitation = Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    assert str(invitation["uid"]) == appointment.first.calendar_uid
    assert invitation["sequence"] == 1
