"""Writes of the daily work: notes, tasks, who follows whom."""

import calendar
from datetime import date, timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from approdo.accounts.roles import EDIT_PEOPLE, VIEW_SENSITIVE_NOTES
from approdo.comms.services import queue_email
from approdo.people.choices import Status
from approdo.people.models import Person
from approdo.vacancies.terms import PlacementType

from .models import Note, Task

# Automatic tasks: checks after a placement starts, and a stage about to end.
PLACEMENT_CHECK_MONTHS = (3, 6)
STAGE_ENDING_DAYS = 15


def add_note(*, person: Person, text: str, restricted: bool, by) -> Note:
    if restricted and not by.can(VIEW_SENSITIVE_NOTES):
        raise ValidationError("Solo gli specialisti IPS scrivono note riservate.")
    note = Note(person=person, text=text.strip(), is_restricted=restricted, author=by)
    note.full_clean()
    note.save()
    return note


def correct_note(*, note: Note, text: str, by) -> Note:
    """The author corrects a note within NOTE_EDIT_MINUTES; later it is locked."""
    if not note.editable_by(by):
        raise ValidationError(
            "Questa nota non si può più correggere: aggiunga una nuova nota con la correzione."
        )
    note.text, note.edited_at = text.strip(), timezone.now()
    note.full_clean()
    note.save(update_fields=["text", "edited_at"])
    return note


def add_task(*, person: Person, title: str, due_on: date, assignee, by) -> Task:
    if due_on < timezone.localdate() - timedelta(days=1):
        raise ValidationError({"due_on": "La scadenza è già passata: indichi una data da oggi."})
    if assignee is not None and not assignee.can(EDIT_PEOPLE):
        raise ValidationError({"assignee": "Questa persona dello staff non lavora sulle schede."})
    task = Task(
        person=person,
        title=title.strip(),
        due_on=due_on,
        assignee=assignee or by,
        origin=Task.Origin.MANUAL,
        created_by=by,
    )
    task.full_clean()
    task.save()
    return task


def complete_task(*, task: Task, by) -> Task:
    if task.done_at is None:
        task.done_at, task.done_by = timezone.now(), by
        task.save(update_fields=["done_at", "done_by"])
    return task


def raise_task(*, person: Person, key: str, title: str, due_on: date, origin: str) -> bool:
    """An automatic task for the person's case manager, once per `key`; True if new."""
    try:
        with transaction.atomic():
            Task.objects.create(
                person=person,
                title=title,
                due_on=due_on,
                assignee_id=person.case_manager_id,
                origin=origin,
                source_key=key,
            )
    except IntegrityError:
        return False
    return True


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def raise_due_tasks(*, today: date | None = None) -> int:
    """Raise the automatic tasks that are due (run nightly): a check 3 and 6 months after a
    placement starts, a stage ending within STAGE_ENDING_DAYS. Returns how many were new."""
    today = today or timezone.localdate()
    placement = apps.get_model("placements", "Placement")
    raised = 0
    for months in PLACEMENT_CHECK_MONTHS:
        started = months_before(today, months)
        for item in placement.objects.filter(
            start_on__range=(started - timedelta(days=7), started), person__anonymised_at=None
        ).select_related("person", "company"):
            raised += raise_task(
                person=item.person,
                key=f"placement:{item.pk}:{months}m",
                title=f"Verifica a {months} mesi dell'inserimento presso {item.company}",
                due_on=today + timedelta(days=7),
                origin=Task.Origin.PLACEMENT_CHECK,
            )
    for item in placement.objects.filter(
        placement_type__in=[PlacementType.STAGE, PlacementType.TIROCINIO],
        end_on__range=(today, today + timedelta(days=STAGE_ENDING_DAYS)),
        stage_outcome__in=["", "in corso"],
        person__anonymised_at=None,
    ).select_related("person", "company"):
        raised += raise_task(
            person=item.person,
            key=f"placement:{item.pk}:end",
            title=f"Lo stage presso {item.company} finisce il {item.end_on:%d/%m/%Y}: "
            "prepararne l'esito",
            due_on=item.end_on,
            origin=Task.Origin.STAGE_ENDING,
        )
    return raised


@transaction.atomic
def assign_case_manager(*, people: list[Person], operator, by) -> int:
    """Give `people` to `operator` (each change in the audit log); they hear of it by
    e-mail with the list. Returns how many changed hands."""
    if not operator.is_active or not operator.can(EDIT_PEOPLE):
        raise ValidationError("Si può assegnare solo a chi lavora sulle schede.")
    moved = []
    for person in people:
        if person.case_manager_id != operator.pk:
            person.case_manager = operator
            person.save(update_fields=["case_manager", "updated_at"])
            moved.append(person)
    if moved and operator.email:
        queue_email(
            to=operator.email,
            kind="assegnazione",
            template="caseload_assigned",
            context={"operator": operator, "people": moved, "by": by},
            requested_by=by,
        )
    return len(moved)


def in_charge(people):
    """Of `people`, those still followed (not out of the programme)."""
    return people.exclude(status=Status.FUORI_PROTOCOLLO)
