from django.db.models import QuerySet

from approdo.vacancies.models import Vacancy, VacancyStatus

from .engine import CRITERIA_LABELS, ExcludedPerson, RankedPerson, rank_candidates
from .models import Candidacy
from .services import current_weights


def vacancies_for_person(person) -> list[tuple[Vacancy, RankedPerson | ExcludedPerson]]:
    """Open requests and how the person fares in each: (vacancy, ranked or excluded item)."""
    if not person.is_rankable:
        return []
    weights = current_weights().as_dict()
    results: list[tuple[Vacancy, RankedPerson | ExcludedPerson]] = []
    vacancies = (
        Vacancy.objects.filter(status=VacancyStatus.APERTA, occupation__isnull=False)
        .select_related("company", "occupation", "workplace")
        .prefetch_related("requirements")
    )
    for vacancy in vacancies:
        ranking = rank_candidates(vacancy, weights=weights, person_ids=[person.pk])
        items: list[RankedPerson | ExcludedPerson] = [*ranking.ranked, *ranking.excluded]
        if items:
            results.append((vacancy, items[0]))
    # Ranked before excluded, best score first.
    return sorted(results, key=lambda pair: (isinstance(pair[1], ExcludedPerson), -pair[1].score))


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


def excluded_by_reason(run, excluded: list) -> list[dict]:
    """The exclusions by reason, most frequent first: the count covers everyone excluded,
    the people listed are those among the stored first ones."""
    return [
        {
            "reason": reason,
            "count": count,
            "people": [result for result in excluded if reason in result.reason_keys],
        }
        for reason, count in sorted(run.excluded_by_reason.items(), key=lambda item: -item[1])
    ]
