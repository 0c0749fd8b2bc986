"""What training adds to other pages. On the person's file: the IPS path (for IPS
specialists, the path and a way to open one; for the others, at most that a specialised
service follows the person: special-category data) and the courses. On a partner's page:
the courses it gives, with their outcomes."""

from django.utils import timezone

from approdo.accounts.roles import EDIT_PEOPLE, RUN_COURSES, VIEW_COURSES, VIEW_SENSITIVE_NOTES
from approdo.ui.sections import page_section

from .forms import PersonEnrolForm
from .models import Participation, ProgrammePath
from .selectors import (
    COURSE_OUTCOMES_DEFINITION,
    CourseOutcome,
    Rates,
    course_outcomes,
)


@page_section("person", template="training/_person_ips.html", order=3)
def person_ips(request, person) -> dict:
    if not request.user.can(VIEW_SENSITIVE_NOTES):
        return {"show": person.in_ips_path, "specialised_only": True}
    paths = list(
        ProgrammePath.objects.filter(person=person, programme=ProgrammePath.Programme.IPS)
        .select_related("specialist")
        .order_by("-start_on")
    )
    return {
        "show": True,
        "specialised_only": False,
        "person": person,
        "paths": paths,
        "open_path": next((path for path in paths if path.is_open), None),
        "can_open": request.user.can(EDIT_PEOPLE) and not person.anonymised_at,
    }


@page_section("person", template="training/_person_courses.html", order=5)
def person_courses(request, person) -> dict:
    if not request.user.can(VIEW_COURSES):
        return {"show": False}
    participations = list(
        Participation.objects.filter(person=person)
        .select_related("course")
        .order_by("-course__start_on")
    )
    can_enrol = request.user.can(RUN_COURSES) and not person.anonymised_at
    return {
        "show": True,
        "person": person,
        "participations": participations,
        "form": PersonEnrolForm() if can_enrol else None,
    }


@page_section("partner", template="training/_partner_courses.html", order=1)
def partner_courses(request, partner) -> dict:
    if not request.user.can(VIEW_COURSES):
        return {"show": False}
    courses = list(partner.courses.order_by("-start_on"))
    outcomes = course_outcomes([course.pk for course in courses], today=timezone.localdate())
    total = CourseOutcome(Rates(), Rates())
    for outcome in outcomes.values():
        total.everyone.add(outcome.everyone)
        total.qualified.add(outcome.qualified)
    return {
        "show": bool(courses),
        "rows": [(course, outcomes.get(course.pk)) for course in courses],
        "total": total,
        "definition": COURSE_OUTCOMES_DEFINITION,
    }
