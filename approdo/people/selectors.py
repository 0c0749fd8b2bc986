"""Reads of people: the filtered list, fuzzy search, the file's timeline."""

from datetime import date, timedelta

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from approdo.places.geography import citizenship_area_q, normalise

from .choices import Status
from .identity import age_band_q, clean_fiscal_code
from .models import Person, SavedSearch

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
    exit_reason: str = "",
    exited_from: date | None = None,
    exited_to: date | None = None,
    case_manager: int | None = None,
    needs_review: bool = False,
    without_fiscal_code: bool = False,
    order: str = "",
    today: date | None = None,
) -> QuerySet[Person]:
    """The person list with the operators' filters; ordered by the chosen column, else by
    relevance when searching, else the latest registered first."""
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
        people = people.filter(age_band_q(age_band, today))
    if citizenship_area:
        people = people.filter(citizenship_area_q(citizenship_area))
    if licences:
        people = people.filter(licences__contains=licences)
    if min_waiting_days is not None:
        people = people.filter(Q(waiting__gte=timedelta(days=min_waiting_days)))
    if exit_reason:
        people = people.filter(exit_reason=exit_reason)
    # Who left the programme in a period: the day of their last change of status.
    if exited_from:
        people = people.filter(
            status=Status.FUORI_PROTOCOLLO, status_changed_at__date__gte=exited_from
        )
    if exited_to:
        people = people.filter(
            status=Status.FUORI_PROTOCOLLO, status_changed_at__date__lte=exited_to
        )
    if case_manager is not None:
        people = people.filter(
            Q(case_manager_id=case_manager) | Q(second_case_manager_id=case_manager)
        )
    if needs_review:
        people = people.filter(needs_review=True)
    if without_fiscal_code:
        people = people.filter(fiscal_code__isnull=True)
    if search:
        people = search_people(people, search)
        return people.order_by(*PERSON_ORDERS[order]) if order in PERSON_ORDERS else people
    return people.order_by(*PERSON_ORDERS.get(order, PERSON_ORDERS["-iscrizione"]))


# The people list's sortable columns, ascending (a "-" field runs the other way); the
# list sorts by "key" or, reversed, by "-key". The columns are never empty, so the plain
# orderings can walk their indexes (NULLS LAST on a descending index could not).
_PERSON_COLUMNS = {
    "nome": ("last_name", "first_name"),
    "eta": ("-birth_date",),  # youngest first
    "comune": ("residence_comune__name", "last_name"),
    "stato": ("status", "last_name"),
    "attesa": ("waiting",),
    "iscrizione": ("registered_at",),
}


def _ordering(fields: tuple[str, ...], *, reverse: bool) -> tuple[str, ...]:
    flipped = [name.removeprefix("-") if name.startswith("-") else f"-{name}" for name in fields]
    return (*(flipped if reverse else fields), "-pk" if reverse else "pk")


PERSON_ORDERS = {
    **{key: _ordering(fields, reverse=False) for key, fields in _PERSON_COLUMNS.items()},
    **{f"-{key}": _ordering(fields, reverse=True) for key, fields in _PERSON_COLUMNS.items()},
}


def saved_searches_for(user) -> QuerySet[SavedSearch]:
    """The user's own saved searches and those shared with their team (or, shared by
    someone without a team, with everyone)."""
    shared = Q(shared=True) & (Q(team__isnull=True) | Q(team_id=user.team_id))
    return SavedSearch.objects.filter(Q(owner=user) | shared).select_related("owner")


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
            similarity=TrigramWordSimilarity(needle, "search_name"),
            closeness=TrigramSimilarity("search_name", needle),
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


def person_with_fiscal_code(fiscal_code: str | None) -> Person | None:
    """The person already registered with this fiscal code, if any."""
    return Person.objects.filter(fiscal_code=fiscal_code).first() if fiscal_code else None


def break_glass_accesses(*, date_from: date | None = None, date_to: date | None = None):
    """Files opened outside the reader's team, newest first."""
    from .models import BreakGlassAccess

    accesses = BreakGlassAccess.objects.select_related("user", "user__team", "person__team")
    if date_from:
        accesses = accesses.filter(created_at__date__gte=date_from)
    if date_to:
        accesses = accesses.filter(created_at__date__lte=date_to)
    return accesses.order_by("-created_at", "-pk")


def consent_overview(person: Person) -> list[dict]:
    """Each purpose with the consent in force and its last change, for the person's file."""
    from .consents import PURPOSES
    from .models import Consent

    latest: dict[str, Consent] = {}
    for consent in Consent.objects.filter(person=person).select_related("recorded_by"):
        latest.setdefault(consent.purpose, consent)
    return [
        {
            "purpose": purpose,
            "given_at": getattr(person, purpose.field),
            "last": latest.get(code),
        }
        for code, purpose in PURPOSES.items()
    ]


def rights_request_list(*, status: str = ""):
    """Requests about data, by deadline (the oldest open first)."""
    from .models import RightsRequest

    requests = RightsRequest.objects.select_related("person", "recorded_by", "closed_by")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("due_on", "pk")


def person_by_reference(text: str) -> Person | None:
    """The person a form names by fiscal code or by file number (the number in the
    address of their page); anonymised files are not found."""
    text = text.strip().upper()
    people = Person.objects.filter(anonymised_at__isnull=True)
    return (
        people.filter(pk=int(text)).first()
        if text.isdigit()
        else people.filter(fiscal_code=text).first()
    )
