"""A course's printed documents: the attendance register and the certificate of attendance."""

from decimal import Decimal

from django.utils import timezone

from approdo.ui.pdf import render_pdf

from .models import TAKING_PART, Attendance, Course, Participation
from .selectors import attendance_by_participation


def attendance_register_pdf(course: Course) -> bytes:
    sessions = list(course.sessions.all())
    participations = list(
        course.participations.filter(outcome__in=TAKING_PART)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    marks = {
        (session_id, participation_id): present
        for session_id, participation_id, present in Attendance.objects.filter(
            session__course=course
        ).values_list("session_id", "participation_id", "present")
    }
    summary = attendance_by_participation(course)
    rows = [
        (
            p,
            [marks.get((session.pk, p.pk)) for session in sessions],
            (summary.get(p.pk) or {}).get("hours") or 0,
        )
        for p in participations
    ]
    return render_pdf(
        "training/register_pdf.html",
        {
            "course": course,
            "sessions": sessions,
            "rows": rows,
            "printed_on": timezone.localdate(),
        },
    )


def certificate_pdf(participation: Participation) -> bytes:
    course = participation.course
    attended = attendance_by_participation(course).get(participation.pk) or {}
    return render_pdf(
        "training/certificate_pdf.html",
        {
            "participation": participation,
            "course": course,
            "person": participation.person,
            "hours_present": attended.get("hours") or Decimal(0),
            "printed_on": timezone.localdate(),
        },
    )
