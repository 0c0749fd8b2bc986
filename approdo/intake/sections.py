"""What intake adds to other apps' pages (see approdo/ui/sections.py)."""

from django.conf import settings

from approdo.accounts.roles import MANAGE_INTAKE
from approdo.people.permissions import can_edit_person
from approdo.ui.sections import page_section

from .selectors import follow_ups, pending_interview


@page_section("person", template="intake/_person_first_interview.html", order=10)
def person_first_interview(request, person) -> dict:
    return {
        "pending_interview": pending_interview(person),
        "promise_days": settings.FIRST_INTERVIEW_PROMISE_DAYS,
    }


@page_section("person", template="intake/_person_follow_ups.html", order=11)
def person_follow_ups(request, person) -> dict:
    if person.first_interview_at is None:
        return {"show": False}
    return {
        "show": True,
        "person": person,
        "interviews": follow_ups(person),
        "can_edit": can_edit_person(request.user, person) and request.user.can(MANAGE_INTAKE),
    }
