import ast
from datetime import UTC, date, datetime

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from .restricted import MASK, restriction_for

ACTION_LABELS = {
    LogEntry.Action.CREATE: "Creazione",
    LogEntry.Action.UPDATE: "Modifica",
    LogEntry.Action.DELETE: "Eliminazione",
    LogEntry.Action.ACCESS: "Consultazione",
}


def audit_entries(
    *,
    actor_id: int | None = None,
    action: int | None = None,
    person_id: int | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
) -> QuerySet[LogEntry]:
    """Audit entries, newest first, with the filters the coordinators' page offers."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if action is not None:
        entries = entries.filter(action=action)
    if person_id:
        entries = entries.filter(additional_data__person_id=person_id)
    if day_from:
        entries = entries.filter(timestamp__date__gte=day_from)
    if day_to:
        entries = entries.filter(timestamp__date__lte=day_to)
    return entries


EMPTY_VALUES = (None, "None", "", "[]")
BOOLEANS = {"True": "sì", "False": "no"}


def readable_entries(entries, user) -> None:
    """Give each entry `readable_changes` and `shown_repr` for this user: a restricted
    entry's content (see restricted.py) is masked for roles that may not read it."""
    for entry in entries:
        restriction = restriction_for(entry.content_type.model_class())
        if restriction is not None and user.can(restriction.capability):
            restriction = None  # this user may read it
        entry.readable_changes = readable_changes(
            entry, masked_fields=(restriction.fields or frozenset()) if restriction else frozenset()
        )
        entry.shown_repr = entry.object_repr
        entry.shown_text = entry.changes_text
        if restriction is not None and restriction.fields is None:
            entry.shown_repr = entry.shown_text = f"contenuto {MASK}"
            entry.readable_changes = [(label, MASK, MASK) for label, _, _ in entry.readable_changes]


def readable_changes(entry, masked_fields=frozenset()) -> list[tuple[str, str, str]]:
    """(field, before, after) of a change as people read it: the field's Italian name, a
    choice's label, "vuoto" for no value, "sì"/"no", dates in local time. Left out: the
    id, related lists and internal fields without an Italian name, and what stayed empty.
    No query: a related row is shown by its key (its name may have changed since)."""
    model = entry.content_type.model_class()
    readable = []
    for name, values in entry.changes_dict.items():
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if field is not None and (
            not getattr(field, "concrete", False)  # a related list
            or field.primary_key
            or str(field.verbose_name) == name.replace("_", " ")
        ):
            continue
        choices = {}
        if field is not None:
            base = getattr(field, "base_field", field)
            choices = {str(key): str(label) for key, label in getattr(base, "flatchoices", [])}
        before, after = (_readable_value(value, choices, field) for value in values[:2])
        if before == after == "vuoto":
            continue
        if name in masked_fields:  # not even which field: its name can say too much
            readable.append(("dato riservato", MASK, MASK))
            continue
        readable.append((str(getattr(field, "verbose_name", name)), before, after))
    return readable


def _readable_value(value, choices: dict[str, str], field) -> str:
    if value in EMPTY_VALUES:
        return "vuoto"
    text = str(value)
    if isinstance(field, models.DateTimeField):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        if timezone.is_naive(moment):  # django-auditlog writes UTC
            moment = timezone.make_aware(moment, UTC)
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    if isinstance(field, models.DateField):
        try:
            return date.fromisoformat(text).strftime("%d/%m/%Y")
        except ValueError:
            return text
    if text in BOOLEANS:
        return BOOLEANS[text]
    if text.startswith("[") and text.endswith("]"):  # a list, as django-auditlog writes it
        try:
            items = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
        return ", ".join(choices.get(str(item), str(item)) for item in items) or "vuoto"
    return choices.get(text, text)
