"""What a person may change of their own data from the area, and how: contacts at once;
what the ranking reads after the case manager confirms it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approdo.casework.models import Task
from approdo.casework.services import complete_task
from approdo.people.choices import ItalianLevel, Licence, Shift
from approdo.people.models import Person
from approdo.people.services import update_person
from approdo.places.models import Comune

from .models import ProfileChange

# Changed at once: how to reach the person.
CONTACT_FIELDS = ("phone", "address", "postcode")
# Read by the ranking: changed when the case manager confirms.
RANKING_FIELDS = (
    "domicile_comune",
    "italian_level",
    "licences",
    "desired_jobs",
    "weekly_hours",
    "shifts",
    "own_transport",
)


def _stored(name: str, value):
    """A form value as the change keeps it (JSON)."""
    if isinstance(value, Comune):
        return value.pk
    if isinstance(value, list | tuple):
        return sorted(value) if name in ("licences", "shifts") else list(value)
    return value


def current_values(person: Person) -> dict:
    return {
        name: _stored(
            name, person.domicile_comune if name == "domicile_comune" else getattr(person, name)
        )
        for name in CONTACT_FIELDS + RANKING_FIELDS
    }


def _for_model(name: str, value):
    if name == "domicile_comune":
        return Comune.objects.filter(pk=value).first() if value else None
    return value


@transaction.atomic
def change_profile(*, person: Person, cleaned: dict) -> tuple[list[str], list[str]]:
    """Apply the contacts, put the rest in waiting; returns (applied, waiting) field names."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = current_values(person)
    wanted = {name: _stored(name, cleaned.get(name)) for name in before}
    wanted["domicile_comune"] = wanted["domicile_comune"] or None
    applied = [name for name in CONTACT_FIELDS if wanted[name] != before[name]]
    if applied:
        update_person(person=person, data={name: wanted[name] for name in applied})
    waiting = [name for name in RANKING_FIELDS if wanted[name] != before[name]]
    pending = ProfileChange.objects.select_for_update().filter(
        person=person, decided_at__isnull=True
    )
    if not waiting:
        pending.delete()  # back to what the file says: nothing left to confirm
        return applied, []
    proposed = {name: wanted[name] for name in waiting}
    previous = {name: before[name] for name in waiting}
    change = pending.first()
    if change is None:
        task = Task.objects.create(
            person=person,
            title="Dati cambiati dalla persona nell'area personale: confermarli nella scheda",
            due_on=timezone.localdate(),
            assignee_id=person.case_manager_id,
            origin=Task.Origin.PERSON_AREA,
        )
        ProfileChange.objects.create(person=person, proposed=proposed, previous=previous, task=task)
    else:
        change.proposed, change.previous, change.submitted_at = proposed, previous, timezone.now()
        change.save(update_fields=["proposed", "previous", "submitted_at"])
    return applied, waiting


def waiting_change(person: Person) -> ProfileChange | None:
    return ProfileChange.objects.filter(person=person, decided_at__isnull=True).first()


@transaction.atomic
def decide_change(*, change: ProfileChange, accept: bool, by) -> ProfileChange:
    """The case manager confirms (the file takes the values) or sets aside a change."""
    change = (
        ProfileChange.objects.select_for_update(of=("self",))
        .select_related("task")
        .get(pk=change.pk)
    )
    if change.decided_at:
        raise ValidationError("Su queste modifiche si è già deciso.")
    if accept:
        person = Person.objects.select_for_update().get(pk=change.person_id)
        update_person(
            person=person,
            data={name: _for_model(name, value) for name, value in change.proposed.items()},
        )
    change.decided_at, change.decided_by, change.accepted = timezone.now(), by, accept
    change.save(update_fields=["decided_at", "decided_by", "accepted"])
    if change.task and not change.task.done_at:
        complete_task(task=change.task, by=by)
    return change


def readable(name: str, value) -> str:
    """A value as the person and the operator read it."""
    if value in (None, "", []):
        return "—"
    if name == "domicile_comune":
        comune = Comune.objects.filter(pk=value).first()
        return str(comune) if comune else str(value)
    if name == "licences":
        return ", ".join(Licence(code).label for code in value if code in Licence.values)
    if name == "shifts":
        return ", ".join(Shift(code).label for code in value if code in Shift.values)
    if name == "italian_level":
        return ItalianLevel(value).label if value in ItalianLevel.values else str(value)
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def rows_of(change: ProfileChange) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field of a change."""
    return [
        (
            str(Person._meta.get_field(name).verbose_name),
            readable(name, change.previous.get(name)),
            readable(name, value),
        )
        for name, value in change.proposed.items()
    ]
