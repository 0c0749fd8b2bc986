"""The ranking of people for a vacancy.

Hard constraints exclude (and say why); the score is a weighted sum of parts between 0
and 1, one per criterion, so that every point can be explained. The rules are in
pieces.py; the people are read from the process's pool (pool.py), scored all at once
with numpy; PostgreSQL is asked only for what it keeps best: the CV's relevance for
those who can still reach the top, the distances per comune, and the names shown.
The same function serves the pages, the CLI, the exports and the benchmark.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

import numpy as np
from django.db import connection
from django.utils import timezone

from approdo.people.choices import ItalianLevel, Licence
from approdo.people.models import CurriculumText, Person

from . import pool as pools
from .pieces import (
    CV_RELEVANCE_SQL,
    DEFAULT_DISTANCE_KM,
    EDUCATION_ORDER,
    ITALIAN_BELOW,
    ITALIAN_MISSING,
    ITALIAN_ORDER,
    LICENCE_BITS,
    RECENT_INTERVIEW_DAYS,
    SHIFT_BITS,
    STALE_INTERVIEW_DAYS,
    InterviewWindow,
    Occupations,
    PoolView,
    Request,
    licence_label,
    score_parts,
)

__all__ = [
    "DEFAULT_DISTANCE_KM",
    "EDUCATION_ORDER",
    "ITALIAN_BELOW",
    "ITALIAN_MISSING",
    "ITALIAN_ORDER",
    "LICENCE_BITS",
    "RECENT_INTERVIEW_DAYS",
    "SHIFT_BITS",
    "STALE_INTERVIEW_DAYS",
    "licence_label",
]

CRITERIA_LABELS = {
    "occupation": "Professione",
    "skills": "Competenze",
    "licences": "Patenti e attestati",
    "language": "Italiano",
    "education": "Titolo di studio",
    "distance": "Distanza",
    "recency": "Colloquio recente",
    "cv_text": "Curriculum",
}


def missing_requirements() -> dict[str, tuple[str, str]]:
    """What a ranking may say is missing (a licence or a level of Italian, nice-to-have or
    the reason of an exclusion) -> ("patente" or "italiano", the code): what a course can
    give."""
    texts: dict[str, tuple[str, str]] = {}
    for code in Licence.values:
        texts[licence_label(code)] = texts[f"manca: {licence_label(code)}"] = ("patente", code)
    for level in ItalianLevel.values:
        for pattern in (ITALIAN_MISSING, ITALIAN_BELOW):
            texts[pattern.format(level=level)] = ("italiano", level)
    return texts


class RequirementInput(TypedDict):
    kind: str
    value: str
    must: bool


class RankingInputs(TypedDict):
    """The request as the ranking sees it; stored as JSON with every run (AI Act)."""

    vacancy_id: int
    job_title: str
    occupation_id: int
    occupation: str
    isco_code: str
    workplace: str
    workplace_name: str
    latitude: float | None
    longitude: float | None
    weekly_hours: int | None
    nights: bool
    weekends: bool
    description: str
    requirements: list[RequirementInput]


@dataclass
class RankedPerson:
    person_id: int
    fiscal_code: str | None
    name: str
    score: float
    parts: dict[str, float]
    missing: list[str]
    rank: int = 0


@dataclass
class ExcludedPerson:
    person_id: int
    fiscal_code: str | None
    name: str
    score: float
    reasons: list[str]
    reason_keys: list[str] = field(default_factory=list)  # as in Ranking.excluded_by_reason


@dataclass
class Ranking:
    weights: dict[str, int]
    inputs: RankingInputs
    pool_size: int = 0
    ranked_count: int = 0
    excluded_count: int = 0
    excluded_by_reason: dict[str, int] = field(default_factory=dict)
    ranked: list[RankedPerson] = field(default_factory=list)
    excluded: list[ExcludedPerson] = field(default_factory=list)


def vacancy_inputs(vacancy) -> RankingInputs:
    """The vacancy as the ranking sees it (stored with every run)."""
    requirements = [
        RequirementInput(kind=r.kind, value=r.value, must=r.is_must)
        for r in vacancy.requirements.all()
    ]
    occupation = vacancy.occupation
    return RankingInputs(
        vacancy_id=vacancy.pk,
        job_title=vacancy.job_title,
        occupation_id=occupation.pk,
        occupation=occupation.name,
        isco_code=occupation.isco_code,
        workplace=vacancy.workplace_id,
        workplace_name=vacancy.workplace.name,
        latitude=vacancy.workplace.latitude,
        longitude=vacancy.workplace.longitude,
        weekly_hours=vacancy.weekly_hours,
        nights=vacancy.nights,
        weekends=vacancy.weekends,
        description=vacancy.description,
        requirements=requirements,
    )


def points_per_criterion(weights: dict[str, int]) -> dict[str, float]:
    """What a part of 1 is worth, in points out of 100 (six decimals, as always stored)."""
    total = sum(weights.values()) or 1
    return {name: float(f"{weight * 100 / total:.6f}") for name, weight in weights.items()}


def cv_relevance(person_ids: list[int], terms: str) -> dict[int, float]:
    """person id -> how relevant their CV is to the words (0-1); people without a CV are
    not listed."""
    if not terms or not len(person_ids):
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT cv.person_id, {CV_RELEVANCE_SQL}
            FROM {CurriculumText._meta.db_table} cv,
                (SELECT to_tsquery('italian', %s) AS query) q
            WHERE cv.person_id = ANY(string_to_array(%s, ',')::bigint[])
            """,
            [terms, _id_list(person_ids)],
        )
        return dict(cursor.fetchall())


def _id_list(person_ids) -> str:
    """Ids as one text parameter: thousands of ids bound one by one cost milliseconds."""
    return ",".join(map(str, person_ids))


def _names(person_ids: np.ndarray) -> dict[int, tuple[str | None, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, fiscal_code, last_name || ' ' || first_name FROM "
            f"{Person._meta.db_table} WHERE id = ANY(string_to_array(%s, ',')::bigint[])",
            [_id_list(person_ids)],
        )
        return {pk: (fiscal_code, name) for pk, fiscal_code, name in cursor.fetchall()}


def _first(count: int, *keys: np.ndarray) -> np.ndarray:
    """Positions of the first `count` by the keys, most significant last (np.lexsort)."""
    return np.lexsort(keys)[:count]


def _contenders(rows: np.ndarray, base: np.ndarray, limit: int, *, cv_worth: float) -> np.ndarray:
    """The rows that can be in the top `limit` once the CV is added: the CV adds at most
    `cv_worth`, so those whose score without it reaches the `limit`-th best minus that."""
    if len(rows) < limit or limit <= 0:
        return rows
    cut = float(np.partition(base[rows], len(rows) - limit)[-limit])
    return rows[base[rows] >= cut - cv_worth]


def rank_candidates(
    vacancy,
    *,
    weights: dict[str, int],
    ranked_limit: int = 100,
    excluded_limit: int | None = 200,
    today: date | None = None,
    person_ids: list[int] | None = None,
) -> Ranking:
    """Rank the people in charge and ready for the vacancy; explain every score and exclusion."""
    return rank_inputs(
        vacancy_inputs(vacancy),
        weights=weights,
        ranked_limit=ranked_limit,
        excluded_limit=excluded_limit,
        today=today or timezone.localdate(),
        person_ids=person_ids,
    )


def rank_inputs(
    inputs: RankingInputs,
    *,
    weights: dict[str, int],
    ranked_limit: int,
    excluded_limit: int | None,
    today: date,
    person_ids: list[int] | None = None,
) -> Ranking:
    """The ranking of the request as `vacancy_inputs` describes it: the first
    `ranked_limit` with their parts, the first `excluded_limit` excluded (all with None)
    with their reasons, and the counts."""
    process_pool = pools.current()
    columns, own = process_pool.columns_for_ranking()
    request = Request.from_inputs(inputs)
    pool = PoolView(
        columns=columns,
        skills=process_pool.skills,
        km=process_pool.distances(request.latitude, request.longitude)[columns.comune],
        placed=columns.placed_on(today),
    )
    in_pool = columns.alive
    if person_ids is not None:
        in_pool = in_pool & np.isin(columns.person_id, np.array(person_ids, np.int64))
    ranking = Ranking(weights=weights, inputs=inputs)

    exclusions = request.exclusions()
    lacking = [piece.lacks(pool) & in_pool for piece in exclusions]
    reasons_count = sum(
        (flags.astype(np.int8) for flags in lacking), np.zeros(len(columns), np.int8)
    )
    excluded = reasons_count > 0
    ranking.pool_size = int(in_pool.sum())
    ranking.ranked_count = int((in_pool & ~excluded).sum())
    ranking.excluded_count = ranking.pool_size - ranking.ranked_count
    ranking.excluded_by_reason = {
        piece.key: count
        for piece, flags in zip(exclusions, lacking, strict=True)
        if (count := int(flags.sum()))
    }

    worth = points_per_criterion(weights)
    parts = score_parts(request, pool, Occupations.of(request), InterviewWindow.on(today))
    points = {
        name: part * worth[name] if weights[name] else np.zeros(len(columns))
        for name, part in parts.items()
    }
    base = np.zeros(len(columns))
    for value in points.values():  # added in order, as PostgreSQL added them
        base = base + value

    # The ranked: the CV's relevance only for those who can still reach the top N.
    ranked_rows = np.flatnonzero(in_pool & ~excluded)
    cv_worth = worth["cv_text"] if weights["cv_text"] else 0.0
    contenders = _contenders(ranked_rows, base, ranked_limit, cv_worth=cv_worth)
    contender_ids = [int(pid) for pid in columns.person_id[contenders]]
    relevance = (
        process_pool.cv_relevance(contender_ids, request.cv_terms, cv_relevance, own=own)
        if cv_worth and request.cv_terms
        else {}
    )
    cv_points = (
        np.fromiter(
            (relevance.get(pid, 0.0) for pid in contender_ids), np.float64, len(contender_ids)
        )
        * cv_worth
    )
    scores = base[contenders] + cv_points
    order = _first(ranked_limit, columns.person_id[contenders], -scores)
    top, top_cv, top_scores = contenders[order], cv_points[order], scores[order]

    # The excluded: those missing fewer requirements first, then by score.
    excluded_rows = np.flatnonzero(in_pool & excluded)
    limit = excluded_limit if excluded_limit is not None else len(excluded_rows)
    if len(excluded_rows) > limit:
        # Narrow down before sorting exactly: fewer reasons, then a higher score, first.
        key = reasons_count[excluded_rows] * 1000.0 - base[excluded_rows]
        bound = np.partition(key, limit - 1)[limit - 1] if limit else -np.inf
        excluded_rows = excluded_rows[key <= bound + 1e-6]
    order = _first(
        limit,
        columns.person_id[excluded_rows],
        -base[excluded_rows],
        reasons_count[excluded_rows],
    )
    shown_excluded = excluded_rows[order]

    names = _names(columns.person_id[np.concatenate([top, shown_excluded])])
    missing = [(p.missing, p.lacks(pool)) for p in request.nice_to_haves() if p.missing]
    for position, (row, cv, score) in enumerate(zip(top, top_cv, top_scores, strict=True), 1):
        person_id = int(columns.person_id[row])
        fiscal_code, name = names[person_id]
        ranking.ranked.append(
            RankedPerson(
                person_id,
                fiscal_code,
                name,
                round(float(score), 1),
                {criterion: round(float(points[criterion][row]), 1) for criterion in parts}
                | {"cv_text": round(float(cv), 1)},
                [text for text, lacks in missing if lacks[row]],
                rank=position,
            )
        )
    for row in shown_excluded:
        person_id = int(columns.person_id[row])
        fiscal_code, name = names[person_id]
        lacked = [piece for piece, flags in zip(exclusions, lacking, strict=True) if flags[row]]
        ranking.excluded.append(
            ExcludedPerson(
                person_id,
                fiscal_code,
                name,
                round(float(base[row]), 1),
                [piece.reason(int(columns.weekly_hours[row]), pool.km[row]) for piece in lacked],
                [piece.key for piece in lacked],
            )
        )
    return ranking
