"""What events add to the person's file: what they registered for, and a way to register
them for a session to come."""

from approdo.ui.sections import page_section

from .forms import PersonRegistrationForm
from .selectors import upcoming_sessions


@page_section("person", template="events/_person_events.html", order=8)
def person_events(request, person) -> dict:
    registrations = person.event_registrations.select_related("session__event").order_by(
        "-session__starts_at"
    )[:20]
    sessions = upcoming_sessions()
    return {
        "person": person,
        "event_registrations": registrations,
        "event_form": PersonRegistrationForm(sessions=sessions, prefix="evento"),
        "sessions_to_come": sessions.exists(),
    }
