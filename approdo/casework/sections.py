"""What the daily work adds to other apps' pages (see approdo/ui/sections.py): my day on
the desk; notes and tasks on the person's file."""

from django.utils import timezone

from approdo.accounts.roles import EDIT_PEOPLE, VIEW_SENSITIVE_NOTES
from approdo.audit.services import record_access
from approdo.people.permissions import can_edit_person
from approdo.ui.sections import page_section

from .forms import NoteForm, TaskForm
from .selectors import NO_CONTACT_DAYS, open_tasks_of, people_without_contact


@page_section("desk", template="casework/_my_day.html", order=1)
def my_day(request, user) -> dict:
    if not user.can(EDIT_PEOPLE):
        return {"show": False}
    today = timezone.localdate()
    return {
        "show": True,
        "tasks": list(open_tasks_of(user, until=today)[:50]),
        "today": today,
        "silent_count": people_without_contact(user, today=today).count(),
        "no_contact_days": NO_CONTACT_DAYS,
    }


@page_section("person", template="casework/_person_casework.html", order=2)
def person_casework(request, person) -> dict:
    may_read_restricted = request.user.can(VIEW_SENSITIVE_NOTES)
    notes = person.notes.select_related("author")
    if not may_read_restricted:
        notes = notes.filter(is_restricted=False)
    notes = list(notes[:100])
    restricted = sum(note.is_restricted for note in notes)
    if restricted:
        record_access(
            request=request,
            instance=person,
            detail=f"Lettura di {restricted} note riservate",
            person_id=person.pk,
        )
    now = timezone.now()
    for note in notes:
        note.correctable = note.editable_by(request.user, now=now)
    return {
        "person": person,
        "notes": notes,
        "tasks": list(person.tasks.filter(done_at=None).select_related("assignee")),
        "can_edit": can_edit_person(request.user, person),
        "note_form": NoteForm(may_restrict=may_read_restricted),
        "task_form": TaskForm(),
    }
