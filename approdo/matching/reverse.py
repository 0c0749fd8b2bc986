"""The reverse view: how one person fares in every open request ("richieste adatte").

Running the whole ranking once per request costs a statement per request (18 s with 2,000
open requests). Here the requests and the person are read once, the distances to every
workplace come from one statement, each request's rules are applied in Python to that one
person, and the CV's relevance is read, in one more statement, only for the requests the
person is not excluded from. The rules are the engine's (pieces.py),
written for a single person; approdo/matching/tests/test_reverse.py compares the two on
generated people and requests.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import connection
from django.utils import timezone

from approdo.occupations.models import Occupation
from approdo.people.choices import Shift
from approdo.people.models import CurriculumText, Person
from approdo.places.geography import normalise
from approdo.places.models import Comune
from approdo.vacancies.models import Requirement, Vacancy, VacancyStatus

from .engine import (
    DEFAULT_DISTANCE_KM,
    EDUCATION_ORDER,
    ITALIAN_BELOW,
    ITALIAN_MISSING,
    ITALIAN_ORDER,
    LICENCE_BITS,
    RECENT_INTERVIEW_DAYS,
    SHIFT_BITS,
    STALE_INTERVIEW_DAYS,
    ExcludedPerson,
    RankedPerson,
    RankingInputs,
    RequirementInput,
    licence_label,
)
from .pieces import cv_query_terms as _text_query_terms


@dataclass(frozen=True)
class _Person:
    """What the rules read of the person, as PostgreSQL keeps it."""

    id: int
    fiscal_code: str | None
    name: str
    licence_mask: int
    shift_mask: int
    italian_rank: int
    education_rank: int
    skills: frozenset[str]
    experienced: frozenset[int]
    occupations: frozenset[int]
    own_transport: bool
    weekly_hours: int | None
    consent: bool
    placed: bool
    interview_epoch: float | None


def _read_person(person_id: int, today: date) -> _Person | None:
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
    return _Person(
        id=row[0],
        fiscal_code=row[1],
        name=row[2],
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


def _cv_relevance(person_id: int, inputs: list[RankingInputs]) -> dict[int, float]:
    """vacancy id -> relevance of the person's CV to the request (0-1), with the engine's
    expression; only requests with words to look for and a person with a CV are listed."""
    terms = {
        item["vacancy_id"]: _text_query_terms(
            item["job_title"],
            item["occupation"],
            item["description"],
            *[r["value"] for r in item["requirements"] if r["kind"] == "competenza"],
        )
        for item in inputs
    }
    terms = {vacancy_id: words for vacancy_id, words in terms.items() if words}
    if not terms:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT v.id, CASE WHEN cv.search @@ q.query
                THEN least(1, 10 * ts_rank(cv.search, q.query)) ELSE 0 END::float8
            FROM {CurriculumText._meta.db_table} cv
            CROSS JOIN unnest(%(ids)s::int[], %(terms)s::text[]) AS v(id, terms)
            CROSS JOIN LATERAL (SELECT to_tsquery('italian', v.terms) AS query) q
            WHERE cv.person_id = %(person)s
            """,
            {"ids": list(terms), "terms": list(terms.values()), "person": person_id},
        )
        return dict(cursor.fetchall())


class _Isco:
    """Occupations by ISCO code, read once for every request."""

    def __init__(self):
        self.by_unit: dict[str, set[int]] = {}
        self.by_minor: dict[str, set[int]] = {}
        for pk, code in Occupation.objects.values_list("pk", "isco_code"):
            self.by_unit.setdefault(code, set()).add(pk)
            self.by_minor.setdefault(code[:3], set()).add(pk)

    def related(self, isco: str) -> tuple[set[int], set[int]]:
        """(same unit group, same minor group) as the engine compares them."""
        return self.by_unit.get(isco, set()), self.by_minor.get(isco[:3], set())


@dataclass(frozen=True)
class Rules:
    """What every request's evaluation shares: weights as points, dates, occupations."""

    weights: dict[str, int]
    multiplier: dict[str, float]
    recent_epoch: float
    stale_epoch: float
    isco: _Isco

    @classmethod
    def for_day(cls, weights: dict[str, int], today: date) -> "Rules":
        total = sum(weights.values()) or 1
        start = datetime.combine(today, time.min, tzinfo=timezone.get_current_timezone())
        return cls(
            weights=weights,
            # As the engine writes them into its statement: six decimals.
            multiplier={name: float(f"{w * 100 / total:.6f}") for name, w in weights.items()},
            recent_epoch=(start - timedelta(days=RECENT_INTERVIEW_DAYS)).timestamp(),
            stale_epoch=(start - timedelta(days=STALE_INTERVIEW_DAYS)).timestamp(),
            isco=_Isco(),
        )


def _values(requirements: list[RequirementInput], kind: str) -> list[str]:
    return [r["value"] for r in requirements if r["kind"] == kind]


def exclusions(person: _Person, inputs: RankingInputs, *, km: float | None) -> list[tuple]:
    """Why the person cannot be proposed for the request: (text, key) in the engine's
    order; empty when they can."""
    musts = [r for r in inputs["requirements"] if r["must"]]
    reasons: list[tuple[str, str]] = []
    for licence in _values(musts, "patente"):
        if not person.licence_mask & LICENCE_BITS.get(licence, 0):
            reasons.append((f"manca: {licence_label(licence)}", f"patente {licence}"))
    for level in _values(musts, "italiano"):
        if person.italian_rank < ITALIAN_ORDER.get(level, 0):
            reasons.append((ITALIAN_BELOW.format(level=level), f"italiano {level}"))
    for level in _values(musts, "titolo di studio"):
        if person.education_rank < EDUCATION_ORDER.get(level, 0):
            reasons.append((f"titolo di studio inferiore a: {level}", f"titolo {level}"))
    for skill in _values(musts, "competenza"):
        if normalise(skill) not in person.skills:
            reasons.append((f"manca la competenza «{skill}»", f"competenza {skill}"))
    if _values(musts, "esperienza") and inputs["occupation_id"] not in person.experienced:
        reasons.append((f"nessuna esperienza come {inputs['occupation'].lower()}", "esperienza"))
    if _values(musts, "mezzo proprio") and not person.own_transport:
        reasons.append(("senza mezzo proprio", "mezzo proprio"))
    must_distance = [int(v) for v in _values(musts, "distanza") if v.isdigit()]
    if must_distance and km is not None and km > must_distance[0]:
        reasons.append((f"abita a {round(km)} km (massimo {must_distance[0]})", "distanza"))
    hours = inputs["weekly_hours"]
    if hours and person.weekly_hours is not None and person.weekly_hours < hours:
        reasons.append(
            (
                f"disponibile per {person.weekly_hours} ore settimanali, ne servono {hours}",
                "ore",
            )
        )
    if inputs["nights"] and not person.shift_mask & SHIFT_BITS[Shift.NOTTE]:
        reasons.append(("non disponibile di notte", "notti"))
    if inputs["weekends"] and not person.shift_mask & SHIFT_BITS[Shift.WEEKEND]:
        reasons.append(("non disponibile nel fine settimana", "fine settimana"))
    if person.placed:
        reasons.append(("già inserito/a al lavoro", "già inserito"))
    if not person.consent:
        reasons.append(("non ha dato il consenso a essere proposto/a alle aziende", "consenso"))
    return reasons


def fare(
    person: _Person,
    inputs: RankingInputs,
    *,
    km: float | None,
    cv: float,
    rules: Rules,
    reasons: list[tuple],
) -> RankedPerson | ExcludedPerson:
    """The person in one request: excluded with the reasons, or scored with the parts."""
    musts = [r for r in inputs["requirements"] if r["must"]]
    nices = [r for r in inputs["requirements"] if not r["must"]]
    must_distance = [int(v) for v in _values(musts, "distanza") if v.isdigit()]
    same_unit, same_minor = rules.isco.related(inputs["isco_code"])
    nice_licences = _values(nices, "patente")
    nice_skills = [normalise(s) for s in _values(nices, "competenza")]
    nice_language = [ITALIAN_ORDER.get(v, 0) for v in _values(nices, "italiano")]
    nice_education = [EDUCATION_ORDER.get(v, 0) for v in _values(nices, "titolo di studio")]
    max_km = (
        must_distance
        or [int(v) for v in _values(nices, "distanza") if v.isdigit()]
        or [DEFAULT_DISTANCE_KM]
    )[0]
    recent, stale = rules.recent_epoch, rules.stale_epoch

    def level_part(rank: int, wanted: list[int]) -> float:
        if not wanted:
            return 1.0
        return 1.0 if rank >= wanted[0] else 0.5 if rank == wanted[0] - 1 else 0.0

    parts = {
        "occupation": (
            0.0
            if not person.occupations & same_minor
            else 1.0
            if inputs["occupation_id"] in person.occupations
            else 0.6
            if person.occupations & same_unit
            else 0.3
        ),
        "skills": (
            sum(skill in person.skills for skill in nice_skills) / len(nice_skills)
            if nice_skills
            else 1.0
        ),
        "licences": (
            sum(bool(person.licence_mask & LICENCE_BITS.get(c, 0)) for c in nice_licences)
            / len(nice_licences)
            if nice_licences
            else 1.0
        ),
        "language": level_part(person.italian_rank, nice_language),
        "education": level_part(person.education_rank, nice_education),
        "distance": 0.5 if km is None else 1 - min(km, max_km) / max_km,
        "recency": (
            0.0
            if person.interview_epoch is None
            else max(0.0, min(1.0, (person.interview_epoch - stale) / (recent - stale)))
        ),
    }
    weights, multiplier = rules.weights, rules.multiplier
    points = {
        name: part * multiplier[name] if weights[name] else 0.0 for name, part in parts.items()
    }
    base = 0.0
    for value in points.values():
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
    points["cv_text"] = cv * multiplier["cv_text"] if weights["cv_text"] else 0.0
    missing = [
        licence_label(code)
        for code in nice_licences
        if not person.licence_mask & LICENCE_BITS.get(code, 0)
    ]
    missing += [
        f"competenza «{label}»"
        for skill, label in zip(nice_skills, _values(nices, "competenza"), strict=True)
        if skill not in person.skills
    ]
    missing += [
        ITALIAN_MISSING.format(level=level)
        for level in _values(nices, "italiano")
        if person.italian_rank < ITALIAN_ORDER.get(level, 0)
    ]
    if _values(nices, "mezzo proprio") and not person.own_transport:
        missing.append("mezzo proprio")
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
    reasons = {
        item["vacancy_id"]: exclusions(person, item, km=km[item["vacancy_id"]]) for item in inputs
    }
    cv = _cv_relevance(person_id, [item for item in inputs if not reasons[item["vacancy_id"]]])
    rules = Rules.for_day(weights, today)
    return {
        item["vacancy_id"]: fare(
            person,
            item,
            km=km[item["vacancy_id"]],
            cv=cv.get(item["vacancy_id"], 0.0),
            rules=rules,
            reasons=reasons[item["vacancy_id"]],
        )
        for item in inputs
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
