"""The .ics invitation attached to interview e-mails."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress, vText

INTERVIEW_LENGTH = timedelta(minutes=45)


def interview_invitation_ics(interview, *, method: str = "REQUEST") -> str:
    """An iCalendar invitation; a rescheduling keeps the UID and raises SEQUENCE."""
    calendar = Calendar()
    calendar.add("prodid", "-//Approdo//Colloqui//IT")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", interview.calendar_uid)
    event.add("sequence", interview.calendar_sequence)
    event.add("summary", f"{interview.get_kind_display()} – {settings.PROGRAMME_NAME}")
    event.add("dtstart", interview.scheduled_at.astimezone(_zone()))
    end = interview.slot.ends_at if interview.slot else interview.scheduled_at + INTERVIEW_LENGTH
    event.add("dtend", end.astimezone(_zone()))
    event.add("dtstamp", interview.created_at)
    event.add("location", vText(interview.where or interview.get_mode_display()))
    event.add("description", f"Modalità: {interview.get_mode_display()}")
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    if interview.operator.email:
        organizer = vCalAddress(f"mailto:{interview.operator.email}")
        organizer.params["cn"] = vText(str(interview.operator))
        event["organizer"] = organizer
    if interview.person.email:
        attendee = vCalAddress(f"mailto:{interview.person.email}")
        attendee.params["cn"] = vText(str(interview.person))
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def _zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


def operator_feed_ics(operator, interviews, closures) -> str:
    """An operator's appointments for their own calendar app. Calendar apps keep their
    data on third-party servers, so events carry no name: the kind of interview, where,
    and the link to the file in Approdo (which asks to log in)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Approdo//Agenda//IT")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.PROGRAMME_NAME} – colloqui di {operator}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    for interview in interviews:
        event = Event()
        event.add("uid", interview.calendar_uid)
        event.add("sequence", interview.calendar_sequence)
        event.add("summary", interview.get_kind_display().capitalize())
        event.add("dtstart", interview.scheduled_at.astimezone(_zone()))
        end = (
            interview.slot.ends_at if interview.slot else interview.scheduled_at + INTERVIEW_LENGTH
        )
        event.add("dtend", end.astimezone(_zone()))
        event.add("dtstamp", interview.created_at)
        event.add("location", vText(interview.where or interview.get_mode_display()))
        event.add("description", f"Modalità: {interview.get_mode_display()}")
        event.add("url", f"{base}{reverse('people:detail', args=[interview.person_id])}")
        calendar.add_component(event)
    for closure in closures:
        event = Event()
        event.add("uid", f"chiusura-{closure.pk}@approdo")
        event.add("summary", f"Agenda chiusa: {closure.reason}")
        event.add("dtstart", closure.starts_on)
        event.add("dtend", closure.ends_on + timedelta(days=1))
        event.add("dtstamp", closure.created_at)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
