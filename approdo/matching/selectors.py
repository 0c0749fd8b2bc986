from django.db.models import QuerySet

from approdo.vacancies.models import Vacancy, VacancyStatus

from .engine import ExcludedPerson, RankedPerson, rank_candidates
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
    return vacancy.candidacies.select_related("person").prefetch_related("events")
