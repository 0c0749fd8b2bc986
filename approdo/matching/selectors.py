from django.db.models import QuerySet

from approdo.vacancies.models import Vacancy, VacancyStatus

from .engine import rank_candidates
from .models import Candidacy
from .services import current_weights


def vacancies_for_person(person) -> list[tuple[Vacancy, object]]:
    """Open requests and how the person fares in each: (vacancy, ranked or excluded item)."""
    if not person.is_rankable:
        return []
    weights = current_weights().as_dict()
    results = []
    vacancies = (
        Vacancy.objects.filter(status=VacancyStatus.APERTA)
        .select_related("company", "occupation", "workplace")
        .prefetch_related("requirements")
    )
    for vacancy in vacancies:
        ranking = rank_candidates(vacancy, weights=weights, person_ids=[person.pk])
        item = (ranking.ranked or ranking.excluded or [None])[0]
        if item is not None:
            results.append((vacancy, item))
    return sorted(results, key=lambda pair: (hasattr(pair[1], "reasons"), -pair[1].score))


def candidacies_for(vacancy) -> QuerySet[Candidacy]:
    return vacancy.candidacies.select_related("person").prefetch_related("events")
