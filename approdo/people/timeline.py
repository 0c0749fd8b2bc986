"""The person's timeline: every app registers what it knows happened on a file.

People does not know the apps above it; each registers a source in its
`AppConfig.ready` (`from . import timeline`), and the file page asks the registry.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from .choices import Status
from .models import DocumentVersion


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    author: str = ""
    url: str = ""


@dataclass(frozen=True)
class TimelineSource:
    events: Callable[..., Iterable[TimelineEvent]]
    # Special-category events: read only by roles allowed to see sensitive notes.
    sensitive: bool = False


_SOURCES: list[TimelineSource] = []


def timeline_source(*, sensitive: bool = False):
    """Register a function person -> events (one query per source)."""

    def register(events: Callable[..., Iterable[TimelineEvent]]):
        _SOURCES.append(TimelineSource(events, sensitive))
        return events

    return register


def person_timeline(person, *, include_sensitive: bool = False) -> list[TimelineEvent]:
    """Everything that happened on the file, newest first."""
    events = [
        event
        for source in _SOURCES
        if include_sensitive or not source.sensitive
        for event in source.events(person)
    ]
    return sorted(events, key=lambda event: event.at, reverse=True)


@timeline_source()
def status_changes(person):
    for change in person.status_changes.select_related("changed_by"):
        if change.is_readmission:
            title = "Riammissione nel programma"
        elif change.to_status == Status.FUORI_PROTOCOLLO:
            title = f"Fuori protocollo: {change.get_reason_display().lower()}"
        else:
            title = f"Stato: {change.get_to_status_display()}"
        yield TimelineEvent(
            change.changed_at, "stato", title, change.note, str(change.changed_by or "")
        )


@timeline_source()
def phone_calls(person):
    for call in person.contact_attempts.select_related("operator"):
        title = "Telefonata con risposta" if call.answered else "Telefonata senza risposta"
        yield TimelineEvent(
            call.called_at, "telefonata", title, call.note, str(call.operator or "")
        )


@timeline_source()
def documents(person):
    versions = DocumentVersion.objects.filter(document__person=person).select_related(
        "document", "uploaded_by"
    )
    for version in versions:
        yield TimelineEvent(
            version.uploaded_at,
            "documento",
            f"{version.document.get_kind_display()} caricato (versione {version.number})",
            version.original_name,
            str(version.uploaded_by or "la persona, dal portale"),
        )


@timeline_source()
def emails(person):
    for email in person.emails.all():
        yield TimelineEvent(
            email.created_at, "e-mail", f"E-mail: {email.subject}", email.get_status_display()
        )


@timeline_source(sensitive=True)
def sensitive_notes(person):
    for note in person.sensitive_notes.select_related("author"):
        yield TimelineEvent(
            note.created_at,
            "nota riservata",
            "Nota riservata IPS",
            note.text,
            str(note.author or ""),
        )


@timeline_source()
def reassessments(person):
    for change in person.reassessments.select_related("assessed_by"):
        title = f"Nuova valutazione: {change.get_to_readiness_display().lower()}"
        if change.from_readiness:
            title += f" (era {change.get_from_readiness_display().lower()})"
        yield TimelineEvent(
            change.assessed_at, "valutazione", title, change.reason, str(change.assessed_by or "")
        )
