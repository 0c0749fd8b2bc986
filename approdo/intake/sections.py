"""What intake adds to other apps' pages (see approdo/ui/sections.py)."""

from django.conf import settings

from approdo.ui.sections import page_section

from .selectors import pending_interview


@page_section("person", template="intake/_person_first_interview.html", order=10)
def person_first_interview(request, person) -> dict:
    return {
        "pending_interview": pending_interview(person),
        "promise_days": settings.FIRST_INTERVIEW_PROMISE_DAYS,
    }
