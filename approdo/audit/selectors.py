from datetime import date

from auditlog.models import LogEntry
from django.db.models import QuerySet

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
