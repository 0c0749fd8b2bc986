"""Reads of the daily work: my people, my day, everyone's load."""

from datetime import date, timedelta

from django.db.models import Count, DateTimeField, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from approdo.people.choices import Status
from approdo.people.models import ContactAttempt, Person
from approdo.people.selectors import intake_queue

from .models import Note, Task

# A person in charge with no call, note or interview for this long needs a sign of life.
NO_CONTACT_DAYS = 60


def _latest(model, field: str):
    return Subquery(
        model.objects.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(last=Max(field))
        .values("last"),
        output_field=DateTimeField(),
    )


def with_casework(people):
    """Annotate `last_contact` (the latest call or note, or the first interview) and the
    next open task's date `next_due`."""
    return people.annotate(
        last_contact=Greatest(
            _latest(ContactAttempt, "called_at"),
            _latest(Note, "created_at"),
            "first_interview_at",
            output_field=DateTimeField(),
        ),
        next_due=Min("tasks__due_on", filter=Q(tasks__done_at=None)),
        open_tasks=Count("tasks", filter=Q(tasks__done_at=None)),
    )


def caseload(user, *, today: date | None = None):
    """The people `user` follows (first or second), still in the programme; the overdue
    first, then those waiting longest for a contact."""
    return with_casework(
        Person.objects.filter(Q(case_manager=user) | Q(second_case_manager=user))
        .exclude(status=Status.FUORI_PROTOCOLLO)
        .select_related("residence_comune")
    ).order_by("next_due", "last_contact", "pk")


def open_tasks_of(user, *, until: date):
    return (
        Task.objects.filter(assignee=user, done_at=None, due_on__lte=until)
        .select_related("person", "company", "vacancy__company")
        .order_by("due_on", "pk")
    )


def people_without_contact(user, *, today: date | None = None):
    """My people in charge with no contact for NO_CONTACT_DAYS."""
    today = today or timezone.localdate()
    since = timezone.now() - timedelta(days=NO_CONTACT_DAYS)
    return (
        caseload(user, today=today)
        .filter(status=Status.IN_CARICO)
        .filter(Q(last_contact__lt=since) | Q(last_contact=None))
    )


def loads_by_operator() -> list[tuple]:
    """Each active member of staff who works on files, with how many people they follow
    (first or second), for the coordinators."""
    from approdo.accounts.models import User
    from approdo.accounts.roles import EDIT_PEOPLE, roles_with

    followed = Person.objects.exclude(status=Status.FUORI_PROTOCOLLO)
    counts: dict[int, int] = {}
    for field in ("case_manager", "second_case_manager"):
        for user_id, count in (
            followed.exclude(**{field: None}).values_list(field).annotate(n=Count("pk")).order_by()
        ):
            counts[user_id] = counts.get(user_id, 0) + count
    staff = User.objects.filter(is_active=True, role__in=roles_with(EDIT_PEOPLE)).select_related(
        "team"
    )
    return [(user, counts.get(user.pk, 0)) for user in staff.order_by("last_name", "first_name")]


def day_in_numbers(user, *, today: date | None = None) -> dict[str, int]:
    """The counts of the morning digest: tasks overdue and due today, today's interviews,
    people registered since yesterday and waiting for a first interview, my people with no
    contact for NO_CONTACT_DAYS. Counts only: the e-mail carries no names."""
    today = today or timezone.localdate()
    tasks = Task.objects.filter(assignee=user, done_at=None)
    return {
        "overdue": tasks.filter(due_on__lt=today).count(),
        "due_today": tasks.filter(due_on=today).count(),
        "interviews": user.interviews.filter(status="fissato", scheduled_at__date=today).count(),
        "new_registrations": intake_queue()
        .filter(registered_at__gte=timezone.now() - timedelta(days=1))
        .count(),
        "silent": people_without_contact(user, today=today).count(),
    }
