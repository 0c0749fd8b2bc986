"""The ranking as one SQL statement: how Approdo ranked until the in-process pool.

Kept as the reference the engine (engine.py, pieces.py) must agree with, row for row and
score for score (tests/test_engine_equivalence.py), and as the benchmark's baseline
(scripts/bench_matching.py). Nothing in the application calls it.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from approdo.people.choices import Shift
from approdo.people.models import RANKABLE_READINESS, RANKABLE_STATUS, CurriculumText, Person
from approdo.places.geography import normalise
from approdo.places.models import Comune

from .engine import (
    CRITERIA_LABELS,
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
    Ranking,
    RankingInputs,
    licence_label,
)
from .pieces import cv_query_terms as _text_query_terms


class _Sql:
    """Collects named parameters while the statement is written."""

    def __init__(self):
        self.params: dict = {}

    def param(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"


@dataclass(frozen=True)
class _Tables:
    """Quoted table names, from the models' metadata."""

    person: str
    curriculum: str
    comune: str
    placement: str

    @classmethod
    def from_models(cls) -> "_Tables":
        # Placements sit above matching: looked up by name, not imported.
        placement = apps.get_model("placements", "Placement")
        quote = connection.ops.quote_name
        return cls(
            person=quote(Person._meta.db_table),
            curriculum=quote(CurriculumText._meta.db_table),
            comune=quote(Comune._meta.db_table),
            placement=quote(placement._meta.db_table),
        )


def build_ranking_sql(
    inputs: RankingInputs,
    weights: dict[str, int],
    *,
    today: date,
    ranked_limit: int,
    excluded_limit: int | None,
    person_ids: list[int] | None = None,
) -> tuple[str, dict, dict[str, str]]:
    """The statement, its parameters and the exclusion counts' column -> reason key (the
    benchmark runs it bare)."""
    from approdo.occupations.models import Occupation

    sql = _Sql()
    tables = _Tables.from_models()
    today_start = datetime.combine(today, time.min, tzinfo=timezone.get_current_timezone())
    recent_epoch = (today_start - timedelta(days=RECENT_INTERVIEW_DAYS)).timestamp()
    stale_epoch = (today_start - timedelta(days=STALE_INTERVIEW_DAYS)).timestamp()
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
    # Ranks kept by PostgreSQL from the levels (people.Person.italian_rank/education_rank).
    language = "p.italian_rank"
    education = "p.education_rank"

    # (condition, text of the reason, key for the counts); a condition true = excluded.
    exclusions: list[tuple[str, str, str]] = []

    def exclude(condition: str, text_sql: str, key: str):
        exclusions.append((condition, text_sql, key))

    for licence in values(musts, "patente"):
        exclude(
            f"(p.licence_mask & {LICENCE_BITS.get(licence, 0)}) = 0",
            sql.param(f"manca: {licence_label(licence)}"),
            f"patente {licence}",
        )
    for level in values(musts, "italiano"):
        exclude(
            f"{language} < {ITALIAN_ORDER.get(level, 0)}",
            sql.param(ITALIAN_BELOW.format(level=level)),
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
            f"(p.shift_mask & {SHIFT_BITS[Shift.NOTTE]}) = 0",
            sql.param("non disponibile di notte"),
            "notti",
        )
    if inputs["weekends"]:
        exclude(
            f"(p.shift_mask & {SHIFT_BITS[Shift.WEEKEND]}) = 0",
            sql.param("non disponibile nel fine settimana"),
            "fine settimana",
        )
    exclude("placed.person_id IS NOT NULL", sql.param("già inserito/a al lavoro"), "già inserito")
    exclude(
        "p.consent_proposal_at IS NULL",
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
            # Most people share no minor group with the job: one array test settles them.
            f"CASE WHEN NOT p.all_occupations && {sql.param(same_minor)}::int[] THEN 0 "
            f"WHEN {occupation_id} = ANY(p.all_occupations) THEN 1.0 "
            f"WHEN p.all_occupations && {sql.param(same_unit)}::int[] THEN 0.6 ELSE 0.3 END"
        ),
        "skills": _share_present(sql, "p.skills", nice_skills),
        "licences": (
            "("
            + " + ".join(
                f"((p.licence_mask & {LICENCE_BITS.get(code, 0)}) <> 0)::int"
                for code in nice_licences
            )
            + f")::float / {len(nice_licences)}"
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
        # Linear between the two dates, on epoch seconds (float8: cheap for every row).
        "recency": (
            f"CASE WHEN p.first_interview_at IS NULL THEN 0 ELSE greatest(0, least(1, "
            f"(date_part('epoch', p.first_interview_at) - {stale_epoch}) / "
            f"{recent_epoch - stale_epoch})) END"
        ),
        "cv_text": (
            "CASE WHEN cv.search @@ q.query THEN least(1, 10 * ts_rank(cv.search, q.query)) "
            "ELSE 0 END"
            if terms
            else "0"
        ),
    }
    total_weight = sum(weights.values()) or 1
    # Points out of 100 per criterion; the CV part is added only where it can matter.
    points = {
        name: f"(({expression})::float8 * {weights[name] * 100 / total_weight:.6f})"
        if weights[name]
        else "0::float8"  # a criterion weighing nothing is not computed
        for name, expression in parts.items()
    }
    cv_points = points.pop("cv_text")
    max_cv_points = weights["cv_text"] * 100 / total_weight
    missing = []
    for licence in nice_licences:
        missing.append(
            f"CASE WHEN (p.licence_mask & {LICENCE_BITS.get(licence, 0)}) = 0 THEN "
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
            f"{sql.param(ITALIAN_MISSING.format(level=level))} END"
        )
    if values(nices, "mezzo proprio"):
        missing.append(f"CASE WHEN NOT p.own_transport THEN {sql.param('mezzo proprio')} END")

    latitude, longitude = inputs["latitude"], inputs["longitude"]
    distance_sql = (
        f"6371 * acos(least(1, cos(radians(c.latitude)) * cos(radians({sql.param(latitude)})) * "
        f"cos(radians({sql.param(longitude)}) - radians(c.longitude)) + sin(radians(c.latitude)) * "
        f"sin(radians({sql.param(latitude)}))))"
    )
    flags = [f"r{index}" for index in range(len(exclusions))]
    flag_columns = "".join(
        f"coalesce({condition}, false) AS {flag}, "
        for flag, (condition, _, _) in zip(flags, exclusions, strict=True)
    )
    excluded_sql = " OR ".join(flags) or "false"
    reason_texts = (
        ", ".join(
            f"CASE WHEN w.{flag} THEN {text} END"
            for flag, (_, text, _) in zip(flags, exclusions, strict=True)
        )
        or "NULL"
    )
    # The same exclusions by their keys, as the counts name them: the page groups by these.
    reason_keys = (
        ", ".join(
            f"CASE WHEN w.{flag} THEN {sql.param(key)} END"
            for flag, (_, _, key) in zip(flags, exclusions, strict=True)
        )
        or "NULL"
    )
    person_filter = f"AND p.id = ANY({sql.param(person_ids)})" if person_ids is not None else ""
    ranked_limit_sql = sql.param(ranked_limit)
    excluded_limit_sql = sql.param(excluded_limit if excluded_limit is not None else 2**31 - 1)
    base_parts = ", ".join(f"{expression} AS part_{name}" for name, expression in points.items())
    base_sum = " + ".join(f"part_{name}" for name in points)
    reasons_count = " + ".join(f"{flag}::int" for flag in flags) or "0"
    counts_sql = "".join(f", count(*) FILTER (WHERE {flag}) AS n_{flag}" for flag in flags)
    # Pass 1: every person of the pool, narrow rows: exclusion flags and the score without
    # the CV. Pass 2: the CV relevance only for those who can still reach the top N (an
    # upper bound: the CV adds at most its weight), then the explanation in words for the
    # rows shown.
    statement = f"""
WITH q AS (SELECT to_tsquery('italian', {sql.param(terms or "x")}) AS query),
d AS (
    SELECT c.istat_code, CASE WHEN c.latitude IS NULL OR {sql.param(latitude)}::float IS NULL
        THEN NULL ELSE {distance_sql} END AS km
    FROM {tables.comune} c
),
placed AS (
    SELECT DISTINCT person_id FROM {tables.placement}
    WHERE start_on <= {sql.param(today)} AND (end_on IS NULL OR end_on >= {sql.param(today)})
),
s AS MATERIALIZED (
    SELECT t.*, ({base_sum}) AS base, ({excluded_sql}) AS is_excluded,
        ({reasons_count}) AS n_reasons
    FROM (
        SELECT p.id, {flag_columns} {base_parts}
        FROM {tables.person} p
        JOIN d ON d.istat_code = p.residence_comune_id
        LEFT JOIN placed ON placed.person_id = p.id
        WHERE p.status = {sql.param(RANKABLE_STATUS)}
            AND p.readiness = {sql.param(RANKABLE_READINESS)}
            AND p.processing_restricted_at IS NULL
            {person_filter}
    ) t
),
totals AS (
    SELECT count(*) AS pool, count(*) FILTER (WHERE NOT is_excluded) AS ranked_count
        {counts_sql}
    FROM s
),
cut AS (
    SELECT base FROM s WHERE NOT is_excluded ORDER BY base DESC
    OFFSET greatest({ranked_limit_sql}::int - 1, 0) LIMIT 1
),
ranked AS (
    SELECT top.*, row_number() OVER (ORDER BY top.score DESC, top.id) AS position
    FROM (
        SELECT s.*, part_cv_text, s.base + part_cv_text AS score
        FROM s
        CROSS JOIN q
        CROSS JOIN LATERAL (
            SELECT coalesce((
                SELECT {cv_points} FROM {tables.curriculum} cv WHERE cv.person_id = s.id
            ), 0) AS part_cv_text
        ) cv
        WHERE NOT s.is_excluded
            AND s.base >= coalesce((SELECT base FROM cut), 0) - {max_cv_points:.6f}
        ORDER BY score DESC, s.id
        LIMIT {ranked_limit_sql}
    ) top
),
excluded AS (
    -- Those missing fewer requirements first; positions are numbered after the LIMIT.
    SELECT top.*, row_number() OVER (ORDER BY top.n_reasons, top.base DESC, top.id) AS position
    FROM (
        SELECT s.*, 0::float8 AS part_cv_text, s.base AS score
        FROM s WHERE s.is_excluded
        ORDER BY s.n_reasons, s.base DESC, s.id
        LIMIT {excluded_limit_sql}
    ) top
),
chosen AS (SELECT * FROM ranked UNION ALL SELECT * FROM excluded)
SELECT totals.*, w.*, p.fiscal_code, p.last_name || ' ' || p.first_name AS name,
    array_remove(ARRAY[{reason_texts}]::text[], NULL) AS reasons,
    array_remove(ARRAY[{reason_keys}]::text[], NULL) AS reason_keys,
    array_remove(ARRAY[{", ".join(missing) or "NULL"}]::text[], NULL) AS missing
FROM totals
LEFT JOIN (
    chosen w JOIN {tables.person} p ON p.id = w.id JOIN d ON d.istat_code = p.residence_comune_id
) ON true
ORDER BY w.is_excluded, w.position
"""
    keys = {f"n_{flag}": key for flag, (_, _, key) in zip(flags, exclusions, strict=True)}
    return statement, sql.params, keys


def _share_present(sql: _Sql, column: str, wanted: list[str]) -> str:
    """The share of the wanted values present in an array column (1 when nothing is wanted)."""
    if not wanted:
        return "1.0"
    present = " + ".join(f"({sql.param(value)} = ANY({column}))::int" for value in wanted)
    return f"({present})::float / {len(wanted)}"


def rank_with_statement(
    inputs: RankingInputs,
    *,
    weights: dict[str, int],
    ranked_limit: int = 100,
    excluded_limit: int | None = 200,
    today: date,
    person_ids: list[int] | None = None,
) -> Ranking:
    """The ranking as the statement computes it (engine.rank_inputs' reference)."""
    statement, params, count_keys = build_ranking_sql(
        inputs,
        weights,
        today=today,
        ranked_limit=ranked_limit,
        excluded_limit=excluded_limit,
        person_ids=person_ids,
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # The pool's narrow rows are kept in memory rather than spilled to disk.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(statement, params)
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    ranking = Ranking(weights=weights, inputs=inputs)
    if not rows:
        return ranking
    first = rows[0]
    ranking.pool_size = first["pool"]
    ranking.ranked_count = first["ranked_count"]
    ranking.excluded_count = ranking.pool_size - ranking.ranked_count
    ranking.excluded_by_reason = {
        key: first[column] for column, key in count_keys.items() if first[column]
    }
    for row in rows:
        if row["id"] is None:  # an empty pool
            continue
        parts = {name: round(float(row[f"part_{name}"]), 1) for name in CRITERIA_LABELS}
        score = round(float(row["score"]), 1)
        if row["is_excluded"]:
            ranking.excluded.append(
                ExcludedPerson(
                    row["id"],
                    row["fiscal_code"],
                    row["name"],
                    score,
                    row["reasons"],
                    row["reason_keys"],
                )
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
                    rank=row["position"],
                )
            )
    return ranking
