"""The reverse view: how one person fares in every open request ("richieste adatte").

Running the whole ranking once per request costs a statement per request (18 s with 2,000
open requests). Here the requests and the person are read once, the distances to every
workplace come from one statement, each request's rules are applied in Python to that one
person, and the CV's relevance is read, in one more statement, only for the requests the
person is not excluded from. The rules are the pieces' (pieces.py: `lacked_by` and
`person_parts`, beside the forms the ranking uses); approdo/matching/tests/test_reverse.py
compares the two on generated people and requests.
"""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db import connection

from approdo.people.models import CurriculumText, Person
from approdo.places.models import Comune
from approdo.vacancies.models import Requirement, Vacancy, VacancyStatus

from .engine import (
    ExcludedPerson,
    RankedPerson,
    RankingInputs,
    RequirementInput,
    points_per_criterion,
)
from .pieces import (
    CV_RELEVANCE_SQL,
    InterviewWindow,
    Occupations,
    PersonValues,
    Request,
    minor_groups,
    person_parts,
)


@dataclass(frozen=True)
class _Someone:
    """The person, as the rules and the results name them."""

    id: int
    fiscal_code: str | None
    name: str
    values: PersonValues


def _read_person(person_id: int, today: date) -> _Someone | None:
    placement = apps.get_model("placements", "Placement")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT p.id, p.fiscal_code, p.last_name || ' ' || p.first_name, p.licence_mask,
                p.shift_mask, p.italian_rank, p.education_rank, p.skills,
                p.experienced_occupations, p.all_occupations, p.own_transport,
                p.weekly_hours, p.consent_proposal_at IS NOT NULL,
                EXISTS (SELECT 1 FROM {placement._meta.db_table} pl WHERE pl.person_id = p.id
                    AND pl.start_on <= %(today)s
                    AND (pl.end_on IS NULL OR pl.end_on >= %(today)s)),
                date_part('epoch', p.first_interview_at)
            FROM {Person._meta.db_table} p
            WHERE p.id = %(id)s AND p.residence_comune_id IS NOT NULL
            """,
            {"id": person_id, "today": today},
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return _Someone(
        id=row[0],
        fiscal_code=row[1],
        name=row[2],
        values=PersonValues(
            licence_mask=row[3] or 0,
            shift_mask=row[4] or 0,
            italian_rank=row[5],
            education_rank=row[6],
            skills=frozenset(row[7] or ()),
            experienced=frozenset(row[8] or ()),
            occupations=frozenset(row[9] or ()),
            own_transport=row[10],
            weekly_hours=row[11],
            consent=row[12],
            placed=row[13],
            interview_epoch=row[14],
        ),
    )


def _distances(person_id: int, inputs: list[RankingInputs]) -> dict[int, float | None]:
    """vacancy id -> km from the person's comune to the workplace (None without
    coordinates), with the engine's expression."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT v.id, CASE WHEN c.latitude IS NULL OR v.lat IS NULL THEN NULL ELSE
                6371 * acos(least(1, cos(radians(c.latitude)) * cos(radians(v.lat)) *
                cos(radians(v.lon) - radians(c.longitude)) + sin(radians(c.latitude)) *
                sin(radians(v.lat)))) END
            FROM unnest(%(ids)s::int[], %(lats)s::float8[], %(lons)s::float8[])
                AS v(id, lat, lon)
            CROSS JOIN {Person._meta.db_table} p
            JOIN {Comune._meta.db_table} c ON c.istat_code = p.residence_comune_id
            WHERE p.id = %(person)s
            """,
            {
                "ids": [item["vacancy_id"] for item in inputs],
                "lats": [item["latitude"] for item in inputs],
                "lons": [item["longitude"] for item in inputs],
                "person": person_id,
            },
        )
        return dict(cursor.fetchall())


def _cv_relevance(person_id: int, requests: dict[int, Request]) -> dict[int, float]:
    """vacancy id -> relevance of the person's CV to the request (0-1), with the engine's
    expression; only requests with words to look for and a person with a CV are listed.
    Requests with the same words (a company's repeated requests) are asked once."""
    distinct = sorted({request.cv_terms for request in requests.values() if request.cv_terms})
    if not distinct:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT v.terms, {CV_RELEVANCE_SQL}
            FROM {CurriculumText._meta.db_table} cv
            CROSS JOIN unnest(%(terms)s::text[]) AS v(terms)
            CROSS JOIN LATERAL (SELECT to_tsquery('italian', v.terms) AS query) q
            WHERE cv.person_id = %(person)s
            """,
            {"terms": distinct, "person": person_id},
        )
        relevance = dict(cursor.fetchall())
    return {
        vacancy_id: relevance[request.cv_terms]
        for vacancy_id, request in requests.items()
        if request.cv_terms in relevance
    }


def exclusions(person: _Someone, request: Request, *, km: float | None) -> list[tuple]:
    """Why the person cannot be proposed for the request: (text, key) in the ranking's
    order; empty when they can."""
    values = person.values
    return [
        (piece.reason(values.weekly_hours, km), piece.key)
        for piece in request.exclusions()
        if piece.lacked_by(values, km)
    ]


@dataclass(frozen=True)
class Rules:
    """What every request's evaluation shares: points per criterion, the interview
    window, the occupations' ISCO codes."""

    weights: dict[str, int]
    worth: dict[str, float]
    window: InterviewWindow
    catalogue: dict[str, list[tuple[int, str]]]

    @classmethod
    def for_day(cls, weights: dict[str, int], today: date) -> "Rules":
        return cls(
            weights=weights,
            worth=points_per_criterion(weights),
            window=InterviewWindow.on(today),
            catalogue=minor_groups(),
        )


def fare(
    person: _Someone,
    request: Request,
    *,
    km: float | None,
    cv: float,
    rules: Rules,
    reasons: list[tuple],
) -> RankedPerson | ExcludedPerson:
    """The person in one request: excluded with the reasons, or scored with the parts."""
    parts = person_parts(
        request, person.values, km, Occupations.of(request, rules.catalogue), rules.window
    )
    weights, worth = rules.weights, rules.worth
    points = {name: part * worth[name] if weights[name] else 0.0 for name, part in parts.items()}
    base = 0.0
    for value in points.values():  # added in order, as the ranking adds them
        base += value
    if reasons:
        return ExcludedPerson(
            person.id,
            person.fiscal_code,
            person.name,
            round(base, 1),
            [text for text, _ in reasons],
            [key for _, key in reasons],
        )
    points["cv_text"] = cv * worth["cv_text"] if weights["cv_text"] else 0.0
    missing = [
        piece.missing
        for piece in request.nice_to_haves()
        if piece.missing and piece.lacked_by(person.values, km)
    ]
    return RankedPerson(
        person.id,
        person.fiscal_code,
        person.name,
        round(base + points["cv_text"], 1),
        {name: round(value, 1) for name, value in points.items()},
        missing,
        rank=1,
    )


def fare_in_requests(
    person_id: int, inputs: list[RankingInputs], *, weights: dict[str, int], today: date
) -> dict[int, RankedPerson | ExcludedPerson]:
    """vacancy id -> how the person fares in it; empty when they are not in the pool's
    reach (no comune of residence). The CV is read only for the requests not excluded."""
    person = _read_person(person_id, today)
    if person is None or not inputs:
        return {}
    km = _distances(person_id, inputs)
    requests = {item["vacancy_id"]: Request.from_inputs(item) for item in inputs}
    reasons = {
        vacancy_id: exclusions(person, request, km=km[vacancy_id])
        for vacancy_id, request in requests.items()
    }
    cv = _cv_relevance(
        person_id,
        {
            vacancy_id: request
            for vacancy_id, request in requests.items()
            if not reasons[vacancy_id]
        },
    )
    rules = Rules.for_day(weights, today)
    return {
        vacancy_id: fare(
            person,
            request,
            km=km[vacancy_id],
            cv=cv.get(vacancy_id, 0.0),
            rules=rules,
            reasons=reasons[vacancy_id],
        )
        for vacancy_id, request in requests.items()
    }


def open_request_inputs() -> list[RankingInputs]:
    """Every open request as the ranking sees it (engine.vacancy_inputs), read as values:
    two queries, no model instances."""
    fields = Vacancy.objects.filter(
        status=VacancyStatus.APERTA, occupation__isnull=False
    ).values_list(
        "pk",
        "job_title",
        "occupation_id",
        "occupation__name",
        "occupation__isco_code",
        "workplace_id",
        "workplace__name",
        "workplace__latitude",
        "workplace__longitude",
        "weekly_hours",
        "nights",
        "weekends",
        "description",
    )
    requirements: dict[int, list[RequirementInput]] = {}
    # The model's own order, as vacancy.requirements.all() gives it.
    for vacancy_id, kind, value, must in Requirement.objects.filter(
        vacancy__status=VacancyStatus.APERTA
    ).values_list("vacancy_id", "kind", "value", "is_must"):
        requirements.setdefault(vacancy_id, []).append(
            RequirementInput(kind=kind, value=value, must=must)
        )
    return [
        RankingInputs(
            vacancy_id=pk,
            job_title=job_title,
            occupation_id=occupation_id,
            occupation=occupation,
            isco_code=isco_code,
            workplace=workplace,
            workplace_name=workplace_name,
            latitude=latitude,
            longitude=longitude,
            weekly_hours=weekly_hours,
            nights=nights,
            weekends=weekends,
            description=description,
            requirements=requirements.get(pk, []),
        )
        for (
            pk,
            job_title,
            occupation_id,
            occupation,
            isco_code,
            workplace,
            workplace_name,
            latitude,
            longitude,
            weekly_hours,
            nights,
            weekends,
            description,
        ) in fields
    ]
