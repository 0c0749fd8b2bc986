"""Who the ranking puts high, who operators propose, who is hired: by sex, age band and
citizenship (AI Act, annex III 4(a)): a figure about matching and placements together."""

from datetime import date

from approdo.matching.models import Candidacy, MatchingResult
from approdo.people.identity import age_band_on
from approdo.placements.models import Placement
from approdo.places.geography import citizenship_area

TOP_RANKED_FOR_FAIRNESS = 20


def _group_of(person, dimension: str, day: date) -> str:
    if dimension == "sesso":
        return person.get_sex_display()
    if dimension == "cittadinanza":
        return citizenship_area(person.citizenship)
    band = age_band_on(person.birth_date, day)
    return band.label if band else "meno di 16 anni"


def fairness_report(*, since: date, until: date) -> dict:
    """Who the machine ranked high, who operators proposed, who was hired, by group.

    Ranked = among the top 20 of a run in the period; proposed = shortlisted in the period;
    hired = a placement started in the period from a request.
    """
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
