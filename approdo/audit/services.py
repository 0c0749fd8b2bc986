"""Audit entries for reads: who opened a person's file or downloaded a document.

Changes (create, update, delete) are written by django-auditlog for the
registered models; both end up in the same `LogEntry` table.
"""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def record_access(*, request, instance, detail: str, person_id: int | None = None) -> LogEntry:
    """Log that the current user read `instance` (a person's file, a document...)."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=str(instance)[:200],
        action=LogEntry.Action.ACCESS,
        actor=request.user if request.user.is_authenticated else None,
        remote_addr=request.META.get("REMOTE_ADDR"),
        additional_data={"detail": detail, "person_id": person_id},
        changes_text=detail,
    )


def record_bulk_change(*, actor, model, object_pk: str, object_repr: str, detail: str) -> LogEntry:
    """One entry for work that writes many rows at once (an import), with its summary."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=object_pk,
        object_repr=object_repr[:200],
        action=LogEntry.Action.CREATE,
        actor=actor,
        additional_data={"detail": detail},
        changes_text=detail,
    )
