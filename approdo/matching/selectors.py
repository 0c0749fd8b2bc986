from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from approdo.people.models import Person
from approdo.people.permissions import visible_people
from approdo.people.selectors import search_people
from approdo.vacancies.models import VacancyStatus

from .engine import (
    CRITERIA_LABELS,
    ITALIAN_ORDER,
    ExcludedPerson,
    RankedPerson,
    missing_requirements,
)
from .models import Candidacy
from .reverse import fare_in_requests, open_request_inputs
from .services import current_weights


def vacancies_for_person(person) -> list[tuple[int, RankedPerson | ExcludedPerson]]:
    """Every open request and how the person fares in it, (vacancy id, ranked or excluded
    item), suited first and best first, without a ranking per request (see reverse.py)."""
    if not person.is_rankable:
        return []
    fared = fare_in_requests(
        person.pk,
        open_request_inputs(),
        weights=current_weights().as_dict(),
        today=timezone.localdate(),
    )
    # Ranked before excluded, best score first (stable: newer requests first among equals).
    return sorted(
        fared.items(), key=lambda pair: (isinstance(pair[1], ExcludedPerson), -pair[1].score)
    )


def candidacies_for(vacancy) -> QuerySet[Candidacy]:
    return vacancy.candidacies.select_related("person", "refusal").prefetch_related("events")


def criteria_maxima(weights: dict[str, int]) -> dict[str, tuple[int, float]]:
    """Each criterion's weight and the points out of 100 it can give."""
    total = sum(weights.values()) or 1
    return {name: (weight, round(weight * 100 / total, 1)) for name, weight in weights.items()}


def explain_points(results, weights: dict[str, int]) -> None:
    """Give each ranked result `explained`: (criterion, points, maximum) for what scored."""
    maxima = criteria_maxima(weights)
    for result in results:
        result.explained = [
            (label, result.parts[name], maxima.get(name, (0, 0))[1])
            for name, label in CRITERIA_LABELS.items()
            if result.parts.get(name)
        ]


def excluded_by_reason(run, excluded: list, *, per_group: int) -> list[dict]:
    """The exclusions by reason, most frequent first: the count covers everyone excluded,
    the people listed are the first `per_group` among the stored ones (all of them are in
    the full export)."""
    return [
        {
            "reason": reason,
            "count": count,
            "people": [result for result in excluded if reason in result.reason_keys][:per_group],
        }
        for reason, count in sorted(run.excluded_by_reason.items(), key=lambda item: -item[1])
    ]


def filter_candidacies(
    *,
    q: str = "",
    stage: str = "",
    refusal: int | str = "",
    since: str = "",
    until: str = "",
    open_requests: bool = False,
) -> QuerySet[Candidacy]:
    """The candidacies matching the list's filters (days as ISO dates, on when the person
    entered the selection), latest first. `q` finds the person (name or fiscal code), the
    company or the job title."""
    candidacies = Candidacy.objects.select_related("person", "vacancy__company", "refusal")
    if q := q.strip():
        people = search_people(Person.objects.all(), q).values("pk")
        candidacies = candidacies.filter(
            Q(person__in=people)
            | Q(vacancy__company__name__icontains=q)
            | Q(vacancy__job_title__icontains=q)
        )
    if stage:
        candidacies = candidacies.filter(stage=stage)
    if refusal:
        candidacies = candidacies.filter(refusal_id=int(refusal))
    if since:
        candidacies = candidacies.filter(created_at__date__gte=since)
    if until:
        candidacies = candidacies.filter(created_at__date__lte=until)
    if open_requests:
        candidacies = candidacies.filter(vacancy__status=VacancyStatus.APERTA)
    return candidacies.order_by("-created_at", "-pk")


def visible_candidacies(user, candidacies: QuerySet[Candidacy]) -> QuerySet[Candidacy]:
    """Of `candidacies`, those of people `user` reads without a reason."""
    return candidacies.filter(person__in=visible_people(user).values("pk"))


def course_searches() -> dict[str, str]:
    """What a ranking says is missing -> the query of the course list that finds the
    courses giving it, for what some course of the catalogue gives."""
    given = list(
        apps.get_model("training", "CatalogueCourse")
        .objects.filter(active=True)
        .values_list("gives_licence", "gives_italian_level")
    )
    licences = {licence for licence, _ in given if licence}
    best_italian = max((ITALIAN_ORDER.get(level, 0) for _, level in given), default=0)
    searches = {}
    for text, (kind, code) in missing_requirements().items():
        if (kind == "patente" and code in licences) or (
            kind == "italiano" and ITALIAN_ORDER.get(code, 0) <= best_italian
        ):
            searches[text] = urlencode({kind: code})
    return searches
