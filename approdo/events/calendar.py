"""Calendar entries (.ics) for sessions: one entry each, updated with the same UID and a
higher SEQUENCE when a session moves, removed (METHOD:CANCEL) when it is cancelled."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText


def sessions_ics(sessions, *, method: str = "PUBLISH") -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//Approdo//Eventi//IT")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    zone = timezone.get_current_timezone()
    for session in sessions:
        entry = Event()
        entry.add("uid", f"{session.calendar_uid}@approdo")
        entry.add("sequence", session.calendar_sequence)
        entry.add("summary", f"{session.title} – {session.event.title}")
        entry.add("dtstart", session.starts_at.astimezone(zone))
        entry.add("dtend", session.ends_at.astimezone(zone))
        entry.add("dtstamp", timezone.now())
        # The room link is not in the entry: it is sent shortly before the start.
        entry.add("location", vText(session.place or "Online"))
        entry.add("description", f"{settings.PROGRAMME_NAME}: {session.event.title}")
        entry.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
