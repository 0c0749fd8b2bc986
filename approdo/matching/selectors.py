from datetime import date

from django.db.models import QuerySet

from approdo.people.choices import AGE_BAND_LIMITS, Readiness, Status
from approdo.people.geography import citizenship_area
from approdo.people.identity import age_on
from approdo.vacancies.models import Vacancy, VacancyStatus

from .engine import rank_candidates
from .models import Candidacy, MatchingResult
from .services import current_weights

TOP_RANKED_FOR_FAIRNESS = 20


def vacancies_for_person(person) -> list[tuple[Vacancy, object]]:
    """Open requests and how the person fares in each: (vacancy, ranked or excluded item)."""
    if person.status != Status.IN_CARICO or person.readiness != Readiness.PRONTO:
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


def _group_of(person, dimension: str, day: date) -> str:
    if dimension == "sesso":
        return person.get_sex_display()
    if dimension == "cittadinanza":
        return citizenship_area(person.citizenship)
    age = age_on(person.birth_date, day)
    for band, (low, high) in AGE_BAND_LIMITS.items():
        if low <= age <= high:
            return band.label
    return "meno di 16 anni"


def fairness_report(*, since: date, until: date) -> dict:
    """Who the machine ranked high, who operators proposed, who was hired, by group.

    Ranked = among the top 20 of a run in the period; proposed = shortlisted in the period;
    hired = a placement started in the period from a request.
    """
    from approdo.placements.models import Placement

    ranked = {
        r.person
        for r in MatchingResult.objects.filter(
            run__created_at__date__range=(since, until),
            rank__lte=TOP_RANKED_FOR_FAIRNESS,
        ).select_related("person")
    }
    proposed = {
        c.person
        for c in Candidacy.objects.filter(created_at__date__range=(since, until)).select_related(
            "person"
        )
    }
    hired = {
        p.person
        for p in Placement.objects.filter(
            start_on__range=(since, until), vacancy__isnull=False
        ).select_related("person")
    }
    report = {}
    for dimension in ("sesso", "fascia d'età", "cittadinanza"):
        rows: dict[str, dict[str, int]] = {}
        for stage, people in (("ranked", ranked), ("proposed", proposed), ("hired", hired)):
            for person in people:
                group = _group_of(person, dimension, until)
                rows.setdefault(group, {"ranked": 0, "proposed": 0, "hired": 0})[stage] += 1
        totals = {
            stage: len(people)
            for stage, people in (("ranked", ranked), ("proposed", proposed), ("hired", hired))
        }
        report[dimension] = {
            group: {
                stage: (count, count / totals[stage] if totals[stage] else 0)
                for stage, count in counts.items()
            }
            for group, counts in sorted(rows.items())
        }
    return report


def candidacy_events(person):
    from approdo.people.selectors import TimelineEvent

    from .models import CandidacyEvent

    events = CandidacyEvent.objects.filter(candidacy__person=person).select_related(
        "candidacy__vacancy__company", "by"
    )
    for event in events:
        vacancy = event.candidacy.vacancy
        yield TimelineEvent(
            event.at,
            "selezione",
            f"Selezione «{vacancy.job_title}» ({vacancy.company}): "
            f"{event.get_stage_display().lower()}",
            event.note,
            str(event.by or ""),
        )
