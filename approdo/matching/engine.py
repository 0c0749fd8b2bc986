"""The ranking of people for a vacancy, computed in one SQL statement.

Hard constraints exclude (and say why); the score is a weighted sum of parts
between 0 and 1, one per criterion, so that every point can be explained.
The same statement serves the pages, the CLI and the benchmark.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils import timezone

from approdo.people.choices import Education, ItalianLevel, Licence, Shift, Status
from approdo.people.geography import normalise

# Ordinal scales used to compare levels in SQL.
ITALIAN_ORDER = {level: index for index, level in enumerate(ItalianLevel.values, start=1)}
EDUCATION_ORDER = {level: index for index, level in enumerate(Education.values)}
DEFAULT_DISTANCE_KM = 50
RECENT_INTERVIEW_DAYS = 90
STALE_INTERVIEW_DAYS = 730

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


@dataclass
class Ranking:
    weights: dict[str, int]
    inputs: dict
    pool_size: int = 0
    ranked_count: int = 0
    excluded_count: int = 0
    excluded_by_reason: dict[str, int] = field(default_factory=dict)
    ranked: list[RankedPerson] = field(default_factory=list)
    excluded: list[ExcludedPerson] = field(default_factory=list)


class _Sql:
    """Collects named parameters while the statement is written."""

    def __init__(self):
        self.params: dict = {}

    def param(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"


def _level_sql(column: str, order: dict[str, int]) -> str:
    cases = " ".join(f"WHEN '{value}' THEN {rank}" for value, rank in order.items())
    return f"(CASE {column} {cases} ELSE 0 END)"


def _text_query_terms(*texts: str) -> str:
    """An OR query of the significant words, for to_tsquery('italian', ...)."""
    words = []
    for text in texts:
        for word in re.findall(r"[a-z0-9]+", normalise(text)):
            if len(word) >= 4 and word not in words:
                words.append(word)
    return " | ".join(words[:40])


def vacancy_inputs(vacancy) -> dict:
    """The vacancy as the ranking sees it (stored with every run)."""
    requirements = [
        {"kind": r.kind, "value": r.value, "must": r.is_must} for r in vacancy.requirements.all()
    ]
    occupation = vacancy.occupation
    return {
        "vacancy_id": vacancy.pk,
        "job_title": vacancy.job_title,
        "occupation_id": occupation.pk,
        "occupation": occupation.name,
        "isco_code": occupation.isco_code,
        "workplace": vacancy.workplace_id,
        "workplace_name": vacancy.workplace.name,
        "latitude": vacancy.workplace.latitude,
        "longitude": vacancy.workplace.longitude,
        "weekly_hours": vacancy.weekly_hours,
        "nights": vacancy.nights,
        "weekends": vacancy.weekends,
        "description": vacancy.description,
        "requirements": requirements,
    }


def build_ranking_sql(
    inputs: dict,
    weights: dict[str, int],
    *,
    today: date,
    ranked_limit: int,
    excluded_limit: int | None,
    person_ids: list[int] | None = None,
) -> tuple[str, dict]:
    """The statement and its parameters (also used bare by the benchmark)."""
    from approdo.occupations.models import Occupation

    sql = _Sql()
    musts = [r for r in inputs["requirements"] if r["must"]]
    nices = [r for r in inputs["requirements"] if not r["must"]]

    def values(requirements, kind):
        return [r["value"] for r in requirements if r["kind"] == kind]

    isco = inputs["isco_code"]
    related = Occupation.objects.filter(isco_code__startswith=isco[:3]).values_list(
        "pk", "isco_code"
    )
    same_unit = [pk for pk, code in related if code == isco]
    same_minor = [pk for pk, _ in related]
    occupation_id = sql.param(inputs["occupation_id"])
    language = _level_sql("p.italian_level", ITALIAN_ORDER)
    education = _level_sql("p.education", EDUCATION_ORDER)

    reasons, keys = [], []

    def exclude(condition: str, text_sql: str, key: str):
        reasons.append(f"CASE WHEN {condition} THEN {text_sql} END")
        keys.append(f"CASE WHEN {condition} THEN {sql.param(key)} END")

    def licence_label(code: str) -> str:
        label = dict(Licence.choices).get(code, code)
        return label if code in label else f"{label} ({code})"

    for licence in values(musts, "patente"):
        exclude(
            f"NOT ({sql.param(licence)} = ANY(p.licences))",
            sql.param(f"manca: {licence_label(licence)}"),
            f"patente {licence}",
        )
    for level in values(musts, "italiano"):
        exclude(
            f"{language} < {ITALIAN_ORDER.get(level, 0)}",
            sql.param(f"italiano sotto il livello {level} richiesto"),
            f"italiano {level}",
        )
    for level in values(musts, "titolo di studio"):
        exclude(
            f"{education} < {EDUCATION_ORDER.get(level, 0)}",
            sql.param(f"titolo di studio inferiore a: {level}"),
            f"titolo {level}",
        )
    for skill in values(musts, "competenza"):
        exclude(
            f"NOT ({sql.param(normalise(skill))} = ANY(p.skills))",
            sql.param(f"manca la competenza «{skill}»"),
            f"competenza {skill}",
        )
    if values(musts, "esperienza"):
        exclude(
            f"NOT ({occupation_id} = ANY(p.experienced_occupations))",
            sql.param(f"nessuna esperienza come {inputs['occupation'].lower()}"),
            "esperienza",
        )
    if values(musts, "mezzo proprio"):
        exclude("NOT p.own_transport", sql.param("senza mezzo proprio"), "mezzo proprio")
    must_distance = [int(v) for v in values(musts, "distanza") if v.isdigit()]
    if must_distance:
        limit_km = sql.param(must_distance[0])
        exclude(
            f"d.km > {limit_km}",
            f"'abita a ' || round(d.km)::int || ' km (massimo ' || {limit_km} || ')'",
            "distanza",
        )
    if inputs["weekly_hours"]:
        hours = sql.param(inputs["weekly_hours"])
        exclude(
            f"p.weekly_hours IS NOT NULL AND p.weekly_hours < {hours}",
            f"'disponibile per ' || p.weekly_hours || ' ore settimanali, ne servono ' || {hours}",
            "ore",
        )
    if inputs["nights"]:
        exclude(
            f"NOT ('{Shift.NOTTE}' = ANY(p.shifts))", sql.param("non disponibile di notte"), "notti"
        )
    if inputs["weekends"]:
        exclude(
            f"NOT ('{Shift.WEEKEND}' = ANY(p.shifts))",
            sql.param("non disponibile nel fine settimana"),
            "fine settimana",
        )
    exclude("placed.person_id IS NOT NULL", sql.param("già inserito/a al lavoro"), "già inserito")
    exclude(
        "p.privacy_accepted_at IS NULL",
        sql.param("non ha dato il consenso a essere proposto/a alle aziende"),
        "consenso",
    )

    # Parts of the score, each between 0 and 1.
    nice_licences = values(nices, "patente")
    nice_skills = [normalise(s) for s in values(nices, "competenza")]
    nice_language = [ITALIAN_ORDER.get(v, 0) for v in values(nices, "italiano")]
    nice_education = [EDUCATION_ORDER.get(v, 0) for v in values(nices, "titolo di studio")]
    max_km = (
        must_distance
        or [int(v) for v in values(nices, "distanza") if v.isdigit()]
        or [DEFAULT_DISTANCE_KM]
    )[0]
    terms = _text_query_terms(
        inputs["job_title"],
        inputs["occupation"],
        inputs["description"],
        *values(inputs["requirements"], "competenza"),
    )
    parts = {
        "occupation": (
            f"CASE WHEN {occupation_id} = ANY(p.desired_occupations) "
            f"OR {occupation_id} = ANY(p.experienced_occupations) THEN 1.0 "
            f"WHEN p.desired_occupations && {sql.param(same_unit)}::int[] "
            f"OR p.experienced_occupations && {sql.param(same_unit)}::int[] THEN 0.6 "
            f"WHEN p.desired_occupations && {sql.param(same_minor)}::int[] "
            f"OR p.experienced_occupations && {sql.param(same_minor)}::int[] THEN 0.3 ELSE 0 END"
        ),
        "skills": (
            f"cardinality(ARRAY(SELECT unnest(p.skills) INTERSECT "
            f"SELECT unnest({sql.param(nice_skills)}::text[])))::float / {len(nice_skills)}"
            if nice_skills
            else "1.0"
        ),
        "licences": (
            f"cardinality(ARRAY(SELECT unnest(p.licences) INTERSECT "
            f"SELECT unnest({sql.param(nice_licences)}::text[])))::float / {len(nice_licences)}"
            if nice_licences
            else "1.0"
        ),
        "language": (
            f"CASE WHEN {language} >= {nice_language[0]} THEN 1.0 "
            f"WHEN {language} = {nice_language[0] - 1} THEN 0.5 ELSE 0 END"
            if nice_language
            else "1.0"
        ),
        "education": (
            f"CASE WHEN {education} >= {nice_education[0]} THEN 1.0 "
            f"WHEN {education} = {nice_education[0] - 1} THEN 0.5 ELSE 0 END"
            if nice_education
            else "1.0"
        ),
        "distance": (
            f"CASE WHEN d.km IS NULL THEN 0.5 ELSE 1 - least(d.km, {max_km}) / {max_km} END"
        ),
        "recency": (
            f"CASE WHEN p.first_interview_at IS NULL THEN 0 ELSE greatest(0, 1 - greatest(0, "
            f"({sql.param(today)}::date - p.first_interview_at::date) - {RECENT_INTERVIEW_DAYS})"
            f"::float / {STALE_INTERVIEW_DAYS - RECENT_INTERVIEW_DAYS}) END"
        ),
        "cv_text": (
            "CASE WHEN p.cv_search @@ q.query THEN least(1, 10 * ts_rank(p.cv_search, q.query)) "
            "ELSE 0 END"
            if terms
            else "0"
        ),
    }
    total_weight = sum(weights.values()) or 1
    points = {
        name: f"round(({expression})::numeric * {weights[name] * 100 / total_weight:.6f}, 1)"
        for name, expression in parts.items()
    }
    missing = []
    for licence in nice_licences:
        missing.append(
            f"CASE WHEN NOT ({sql.param(licence)} = ANY(p.licences)) THEN "
            f"{sql.param(licence_label(licence))} END"
        )
    for skill, label in zip(nice_skills, values(nices, "competenza"), strict=True):
        missing.append(
            f"CASE WHEN NOT ({sql.param(skill)} = ANY(p.skills)) THEN "
            f"{sql.param(f'competenza «{label}»')} END"
        )
    for level in values(nices, "italiano"):
        missing.append(
            f"CASE WHEN {language} < {ITALIAN_ORDER.get(level, 0)} THEN "
            f"{sql.param(f'italiano {level}')} END"
        )
    if values(nices, "mezzo proprio"):
        missing.append(f"CASE WHEN NOT p.own_transport THEN {sql.param('mezzo proprio')} END")

    latitude, longitude = inputs["latitude"], inputs["longitude"]
    distance_sql = (
        f"6371 * acos(least(1, cos(radians(c.latitude)) * cos(radians({sql.param(latitude)})) * "
        f"cos(radians({sql.param(longitude)}) - radians(c.longitude)) + sin(radians(c.latitude)) * "
        f"sin(radians({sql.param(latitude)}))))"
    )
    ranked_limit_sql = sql.param(ranked_limit)
    excluded_limit_sql = sql.param(excluded_limit) if excluded_limit is not None else "ALL"
    statement = f"""
WITH q AS (SELECT to_tsquery('italian', {sql.param(terms or "x")}) AS query),
d AS (
    SELECT c.istat_code, CASE WHEN c.latitude IS NULL OR {sql.param(latitude)}::float IS NULL
        THEN NULL ELSE {distance_sql} END AS km
    FROM people_comune c
),
placed AS (
    SELECT DISTINCT person_id FROM placements_placement
    WHERE start_on <= {sql.param(today)} AND (end_on IS NULL OR end_on >= {sql.param(today)})
),
t AS MATERIALIZED (
    SELECT p.id, p.fiscal_code, p.last_name || ' ' || p.first_name AS name,
        array_remove(ARRAY[{", ".join(reasons) or "NULL"}]::text[], NULL) AS reasons,
        array_remove(ARRAY[{", ".join(keys) or "NULL"}]::text[], NULL) AS reason_keys,
        array_remove(ARRAY[{", ".join(missing) or "NULL"}]::text[], NULL) AS missing,
        {", ".join(f"{expression} AS part_{name}" for name, expression in points.items())}
    FROM people_person p
    JOIN d ON d.istat_code = p.residence_comune_id
    CROSS JOIN q
    LEFT JOIN placed ON placed.person_id = p.id
    WHERE p.status = {sql.param(Status.IN_CARICO)} AND p.readiness = 'pronto'
        {f"AND p.id = ANY({sql.param(person_ids)})" if person_ids is not None else ""}
),
scored AS (
    SELECT t.*, ({" + ".join(f"part_{name}" for name in points)}) AS score,
        cardinality(t.reasons) > 0 AS is_excluded FROM t
),
totals AS (
    SELECT count(*) AS pool, count(*) FILTER (WHERE NOT is_excluded) AS ranked_count,
        count(*) FILTER (WHERE is_excluded) AS excluded_count,
        (SELECT coalesce(jsonb_object_agg(key, n), '{{}}'::jsonb) FROM (
            SELECT key, count(*) AS n FROM scored, unnest(scored.reason_keys) AS key GROUP BY key
        ) k) AS by_reason
    FROM scored
),
chosen AS (
    (SELECT * FROM scored WHERE NOT is_excluded ORDER BY score DESC, id LIMIT {ranked_limit_sql})
    UNION ALL
    (SELECT * FROM scored WHERE is_excluded ORDER BY score DESC, id LIMIT {excluded_limit_sql})
)
SELECT totals.*, chosen.* FROM totals LEFT JOIN chosen ON true
ORDER BY chosen.is_excluded, chosen.score DESC, chosen.id
"""
    return statement, sql.params


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
    inputs = vacancy_inputs(vacancy)
    statement, params = build_ranking_sql(
        inputs,
        weights,
        today=today or timezone.localdate(),
        ranked_limit=ranked_limit,
        excluded_limit=excluded_limit,
        person_ids=person_ids,
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    ranking = Ranking(weights=weights, inputs=inputs)
    if not rows:
        return ranking
    first = rows[0]
    ranking.pool_size = first["pool"]
    ranking.ranked_count = first["ranked_count"]
    ranking.excluded_count = first["excluded_count"]
    # Django loads jsonb from raw cursors as text.
    by_reason = first["by_reason"] or {}
    ranking.excluded_by_reason = json.loads(by_reason) if isinstance(by_reason, str) else by_reason
    for row in rows:
        if row["id"] is None:
            continue
        parts = {name: float(row[f"part_{name}"]) for name in CRITERIA_LABELS}
        score = round(float(row["score"]), 1)
        if row["is_excluded"]:
            ranking.excluded.append(
                ExcludedPerson(row["id"], row["fiscal_code"], row["name"], score, row["reasons"])
            )
        else:
            ranking.ranked.append(
                RankedPerson(
                    row["id"],
                    row["fiscal_code"],
                    row["name"],
                    score,
                    parts,
                    row["missing"],
                    rank=len(ranking.ranked) + 1,
                )
            )
    return ranking
