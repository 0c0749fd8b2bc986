"""Reads of people: the filtered list, fuzzy search, the file's timeline."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from .choices import AGE_BAND_LIMITS, Status
from .geography import EU_COUNTRIES, ITALY, normalise
from .identity import clean_fiscal_code
from .models import DocumentVersion, Person

# Below this trigram word similarity a name does not count as a match.
NAME_MATCH_THRESHOLD = 0.45


def with_waiting_time(people: QuerySet[Person]) -> QuerySet[Person]:
    """Annotate `waiting`: from registration to first interview (or to now, if still waiting)."""
    return people.annotate(
        waiting=ExpressionWrapper(
            Coalesce(F("first_interview_at"), Now(), output_field=DateTimeField())
            - F("registered_at"),
            output_field=DurationField(),
        )
    )


def birth_date_range_for_age_band(band: str, today: date) -> tuple[date, date]:
    """Birth dates (inclusive) of people whose age today falls in the band."""
    youngest, oldest = AGE_BAND_LIMITS[band]
    latest = date(today.year - youngest, today.month, min(today.day, 28))
    earliest = date(today.year - oldest - 1, today.month, min(today.day, 28)) + timedelta(days=1)
    return earliest, latest


def filter_people(
    *,
    search: str = "",
    status: str = "",
    outcome: str = "",
    readiness: str = "",
    comune: str = "",
    age_band: str = "",
    citizenship_area: str = "",
    licences: list[str] | None = None,
    min_waiting_days: int | None = None,
    needs_review: bool = False,
    without_fiscal_code: bool = False,
    today: date | None = None,
) -> QuerySet[Person]:
    """The person list with the operators' filters; ordered by relevance when searching."""
    today = today or timezone.localdate()
    people = with_waiting_time(Person.objects.select_related("residence_comune"))
    if status:
        people = people.filter(status=status)
    if outcome:
        people = people.filter(first_interview_outcome=outcome)
    if readiness:
        people = people.filter(readiness=readiness)
    if comune:
        people = people.filter(residence_comune_id=comune)
    if age_band:
        earliest, latest = birth_date_range_for_age_band(age_band, today)
        people = people.filter(birth_date__range=(earliest, latest))
    if citizenship_area == "italiana":
        people = people.filter(citizenship=ITALY)
    elif citizenship_area == "UE":
        people = people.filter(citizenship__in=EU_COUNTRIES)
    elif citizenship_area == "extra UE":
        people = people.exclude(citizenship__in=[ITALY, *EU_COUNTRIES])
    if licences:
        people = people.filter(licences__contains=licences)
    if min_waiting_days is not None:
        people = people.filter(waiting__gte=timedelta(days=min_waiting_days))
    if needs_review:
        people = people.filter(needs_review=True)
    if without_fiscal_code:
        people = people.filter(fiscal_code__isnull=True)
    if search:
        return search_people(people, search)
    return people.order_by("-registered_at", "-pk")


def search_people(people: QuerySet[Person], term: str) -> QuerySet[Person]:
    """Fiscal-code lookup when the term looks like one, else typo- and accent-tolerant names."""
    code = clean_fiscal_code(term)
    if len(code) == 16 and code.isalnum() and any(ch.isdigit() for ch in code):
        return people.filter(fiscal_code=code).order_by("pk")
    if len(code) >= 6 and code.isalnum() and any(ch.isdigit() for ch in code):
        return people.filter(fiscal_code__startswith=code).order_by("fiscal_code")
    needle = normalise(term)
    # `%>` (word similarity) uses the trigram GIN index; the threshold is set per query.
    # Ties (every "Rossi" matches "rossi" fully) go to the closest whole name.
    return (
        people.annotate(
            similarity=TrigramWordSimilarity(Value(needle), "search_name"),
            closeness=TrigramSimilarity("search_name", Value(needle)),
        )
        .filter(Q(search_name__trigram_word_similar=needle) | Q(search_name__startswith=needle))
        .filter(similarity__gte=NAME_MATCH_THRESHOLD)
        .order_by("-similarity", "-closeness", "last_name", "first_name")
    )


def intake_queue(*, today: date | None = None) -> QuerySet[Person]:
    """People registered and not yet interviewed, longest wait first."""
    return (
        with_waiting_time(Person.objects.select_related("residence_comune"))
        .filter(status=Status.REGISTRATO, first_interview_at__isnull=True)
        .order_by("registered_at", "pk")
    )


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    author: str = ""
    url: str = ""


def person_timeline(person: Person, *, include_sensitive: bool = False) -> list[TimelineEvent]:
    """Everything that happened on the file, newest first (one query per kind of event)."""
    from approdo.intake.selectors import interview_events
    from approdo.matching.selectors import candidacy_events
    from approdo.placements.selectors import placement_events
    from approdo.portal.selectors import registration_events

    events: list[TimelineEvent] = []
    for change in person.status_changes.select_related("changed_by"):
        if change.is_readmission:
            title = "Riammissione nel programma"
        elif change.to_status == Status.FUORI_PROTOCOLLO:
            title = f"Fuori protocollo: {change.get_reason_display().lower()}"
        else:
            title = f"Stato: {change.get_to_status_display()}"
        events.append(
            TimelineEvent(
                change.changed_at, "stato", title, change.note, str(change.changed_by or "")
            )
        )
    for call in person.contact_attempts.select_related("operator"):
        title = "Telefonata con risposta" if call.answered else "Telefonata senza risposta"
        events.append(
            TimelineEvent(call.called_at, "telefonata", title, call.note, str(call.operator or ""))
        )
    for version in DocumentVersion.objects.filter(document__person=person).select_related(
        "document", "uploaded_by"
    ):
        events.append(
            TimelineEvent(
                version.uploaded_at,
                "documento",
                f"{version.document.get_kind_display()} caricato (versione {version.number})",
                version.original_name,
                str(version.uploaded_by or "la persona, dal portale"),
            )
        )
    for email in person.emails.all():
        events.append(
            TimelineEvent(
                email.created_at, "e-mail", f"E-mail: {email.subject}", email.get_status_display()
            )
        )
    if include_sensitive:
        for note in person.sensitive_notes.select_related("author"):
            events.append(
                TimelineEvent(
                    note.created_at,
                    "nota riservata",
                    "Nota riservata IPS",
                    note.text,
                    str(note.author or ""),
                )
            )
    events.extend(interview_events(person))
    events.extend(registration_events(person))
    events.extend(candidacy_events(person))
    events.extend(placement_events(person))
    return sorted(events, key=lambda event: event.at, reverse=True)
