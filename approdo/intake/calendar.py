"""The .ics invitation attached to interview e-mails."""

from datetime import timedelta

from django.conf import settings
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
