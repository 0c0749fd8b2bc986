"""What the daily work adds to other apps' pages (see approdo/ui/sections.py): my day on
the desk; notes and tasks on the person's file, a company's page and a request's."""

from django.utils import timezone

from approdo.accounts.roles import EDIT_COMPANIES, EDIT_PEOPLE, VIEW_SENSITIVE_NOTES
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


def _casework(request, kind: str, subject, notes, tasks, *, can_edit: bool, restrict: bool):
    now = timezone.now()
    notes = list(notes.select_related("author")[:100])
    for note in notes:
        note.correctable = note.editable_by(request.user, now=now)
    return {
        "kind": kind,
        "subject": subject,
        "notes": notes,
        "tasks": list(tasks.filter(done_at=None).select_related("assignee")),
        "can_edit": can_edit,
        "note_form": NoteForm(may_restrict=restrict),
        "task_form": TaskForm(),
    }


@page_section("person", template="casework/_casework.html", order=2)
def person_casework(request, person) -> dict:
    may_read_restricted = request.user.can(VIEW_SENSITIVE_NOTES)
    notes = person.notes.all() if may_read_restricted else person.notes.filter(is_restricted=False)
    context = _casework(
        request,
        "persone",
        person,
        notes,
        person.tasks,
        can_edit=can_edit_person(request.user, person),
        restrict=may_read_restricted,
    )
    if restricted := sum(note.is_restricted for note in context["notes"]):
        record_access(
            request=request,
            instance=person,
            detail=f"Lettura di {restricted} note riservate",
            person_id=person.pk,
        )
    return context


@page_section("company", template="casework/_casework.html", order=50)
def company_casework(request, company) -> dict:
    notes, tasks = company.casework_notes, company.casework_tasks
    can_edit = request.user.can(EDIT_COMPANIES)
    return _casework(request, "aziende", company, notes, tasks, can_edit=can_edit, restrict=False)


@page_section("vacancy", template="casework/_casework.html", order=50)
def vacancy_casework(request, vacancy) -> dict:
    notes, tasks = vacancy.notes, vacancy.tasks
    can_edit = request.user.can(EDIT_COMPANIES)
    return _casework(request, "richieste", vacancy, notes, tasks, can_edit=can_edit, restrict=False)
