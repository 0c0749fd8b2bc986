"""Benchmark of the matching: one request ranked against 200,000 (or 2,000,000) people.

Uses the benchmark database of scripts/bench_people.py (seeded there); with
--people 2000000 a copy of it grown tenfold (approdo_bench_2m, made once by copying
every person nine times in SQL). Adds a company and three requests of different shapes,
then times, for each, in interleaved rounds: the floor (reading the pool with the
request's hard filters and counting, one SQL statement), the statement the engine
replaced (statement.py), the engine (engine.rank_inputs, the process's pool), and a
full stored run (run_matching). Checks that engine and statement agree, then times the
pool's cold load, its memory, and how a committed change reaches the next ranking.

    .venv/bin/python scripts/bench_matching.py [--repeat 40] [--people 2000000]
"""

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from bench_people import BENCH_DB, percentile, use_bench_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")


def timed(function, repeat: int) -> list[float]:
    for _ in range(3):
        function()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def grow_tenfold(source: str, target: str) -> None:
    """A copy of the benchmark database with every person nine more times, under new ids
    (with their CVs, status changes, interviews and placements): 2,000,000 people from
    200,000."""
    import psycopg

    from approdo.embedded_db import configure_database

    configure_database()
    url = os.environ["DATABASE_URL"]
    target_url = urlunsplit(urlsplit(url)._replace(path=f"/{target}"))
    with psycopg.connect(url, autocommit=True) as server:
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone():
            with psycopg.connect(target_url) as db:
                if db.execute("SELECT count(*) FROM people_person").fetchone()[0] > 10**6:
                    return
            server.execute(f"DROP DATABASE {target}")  # an interrupted copy
        started = time.perf_counter()
        server.execute(f"CREATE DATABASE {target} TEMPLATE {source}")
    with psycopg.connect(target_url, autocommit=True) as db:
        generated = {
            row[0]
            for row in db.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'people_person'::regclass "
                "AND attgenerated <> ''"
            )
        }
        columns = [
            row[0]
            for row in db.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'people_person'::regclass "
                "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
            )
            if row[0] not in generated
        ]
        offset = db.execute("SELECT max(id) + 1 FROM people_person").fetchone()[0]
        copied = {"id": f"p.id + g * {offset}", "fiscal_code": "NULL", "legacy_id": "NULL"}
        select = ", ".join(copied.get(column, f"p.{column}") for column in columns)
        db.execute(
            f"INSERT INTO people_person ({', '.join(columns)}) "
            f"SELECT {select} FROM people_person p, generate_series(1, 9) g"
        )
        # What the lists and the yearly figures read about each person, copied with them
        # (keys that must stay unique left empty).
        copies = {
            "people_curriculumtext": {},
            "people_statuschange": {},
            "intake_interview": {
                "slot_id": "NULL",
                "rescheduled_from_id": "NULL",
                "legacy_id": "NULL",
            },
            "placements_placement": {"candidacy_id": "NULL", "legacy_id": "NULL"},
        }
        for table, empty in copies.items():
            names = [
                row[0]
                for row in db.execute(
                    "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                    "AND attnum > 0 AND NOT attisdropped AND attgenerated = '' "
                    "AND attname <> 'id' ORDER BY attnum",
                    [table],
                )
            ]
            values = {"person_id": f"person_id + g * {offset}", **empty}
            db.execute(
                f"INSERT INTO {table} ({', '.join(names)}) SELECT "
                f"{', '.join(values.get(name, name) for name in names)} "
                f"FROM {table}, generate_series(1, 9) g"
            )
        db.execute(
            "SELECT setval(pg_get_serial_sequence('people_person', 'id'), "
            "(SELECT max(id) FROM people_person))"
        )
        db.execute("TRUNCATE matching_poolchange")
        db.execute("VACUUM ANALYZE")
    print(f"{target}: 2,000,000 people made in {time.perf_counter() - started:.0f} s")


def floor_sql(inputs, today) -> tuple[str, list]:
    """Reading the pool with the request's hard filters, and counting: what any correct
    ranking must at least do."""
    from approdo.matching.pieces import LICENCE_BITS, SHIFT_BITS

    licences = sum(
        LICENCE_BITS.get(r["value"], 0)
        for r in inputs["requirements"]
        if r["must"] and r["kind"] == "patente"
    )
    shifts = (SHIFT_BITS["notte"] if inputs["nights"] else 0) | (
        SHIFT_BITS["weekend"] if inputs["weekends"] else 0
    )
    return (
        """
        SELECT count(*), count(*) FILTER (WHERE (licence_mask & %(l)s) = %(l)s
            AND (shift_mask & %(s)s) = %(s)s AND coalesce(weekly_hours, 99) >= %(h)s
            AND consent_proposal_at IS NOT NULL)
        FROM people_person
        WHERE status = 'in carico' AND readiness = 'pronto'
            AND processing_restricted_at IS NULL AND residence_comune_id IS NOT NULL
        """,
        {"l": licences, "s": shifts, "h": inputs["weekly_hours"] or 0},
    )


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--people", type=int, default=200_000, choices=[200_000, 2_000_000])
    args = parser.parse_args()
    use_bench_database()
    if args.people == 2_000_000:
        # The copy is made from the migrated 200,000 (with the change log's triggers).
        subprocess.run([str(ROOT / ".venv/bin/approdo"), "migrate", "-v0"], check=True)
        grow_tenfold(BENCH_DB, "approdo_bench_2m")
        use_bench_database("approdo_bench_2m")
    import django

    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.utils import timezone

    from approdo.companies.models import Company
    from approdo.matching import pool as pools
    from approdo.matching.engine import rank_inputs, vacancy_inputs
    from approdo.matching.services import current_weights, run_matching
    from approdo.matching.statement import build_ranking_sql, rank_with_statement
    from approdo.occupations.models import Occupation
    from approdo.people.models import Person
    from approdo.places.models import Comune
    from approdo.vacancies.services import save_vacancy

    call_command("migrate", verbosity=0)
    with django.db.connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person")  # as autovacuum keeps it
    people = Person.objects.count()
    if people < 100_000:
        sys.exit("Seed the benchmark database first: .venv/bin/python scripts/bench_people.py")
    company, _ = Company.objects.get_or_create(name="Benchmark Logistica Srl")
    base = {
        "company": company,
        "positions": 2,
        "placement_type": "assunzione",
        "contract": "tempo determinato",
        "requested_on": timezone.localdate(),
    }
    shapes = {
        "no must-have (whole pool ranked)": (
            {
                "occupation": Occupation.objects.get(name="Addetto alle pulizie"),
                "job_title": "Addetto pulizie uffici",
                "workplace": Comune.objects.get(name="Bologna"),
                "weekly_hours": 20,
                "description": "Pulizie di uffici, sanificazione",
            },
            [],
        ),
        "licence B + Italian A2 must, 4 nice-to-haves": (
            {
                "occupation": Occupation.objects.get(name="Magazziniere"),
                "job_title": "Magazziniere",
                "workplace": Comune.objects.get(name="Imola"),
                "weekly_hours": 36,
                "description": "Magazzino, picking, inventario, transpallet",
            },
            [
                {"kind": "patente", "value": "B", "is_must": True},
                {"kind": "italiano", "value": "A2", "is_must": True},
                {"kind": "patente", "value": "muletto", "is_must": False},
                {"kind": "competenza", "value": "uso del transpallet", "is_must": False},
                {"kind": "competenza", "value": "gestione inventario", "is_must": False},
                {"kind": "distanza", "value": "40", "is_must": False},
            ],
        ),
        "CQC + C must, nights, 30 km must": (
            {
                "occupation": Occupation.objects.get(name="Autista di camion"),
                "job_title": "Autista CE notturno",
                "workplace": Comune.objects.get(name="Bologna"),
                "weekly_hours": 40,
                "nights": True,
                "description": "Trasporto merci, consegne",
            },
            [
                {"kind": "patente", "value": "CQC", "is_must": True},
                {"kind": "patente", "value": "C", "is_must": True},
                {"kind": "distanza", "value": "30", "is_must": True},
            ],
        ),
    }
    weights = current_weights().as_dict()
    url = os.environ["DATABASE_URL"]
    today = timezone.localdate()
    process_pool = pools.current()

    gc.freeze()  # as `approdo serve` does once a worker has loaded Django
    # The pool's cold load and memory.
    before = rss_mb()
    loads = []
    for _ in range(3):
        process_pool.load()
        loads.append(process_pool.loaded_in_ms)
    columns = process_pool.columns
    print(
        f"\n{people} people; pool of {len(columns)}: cold load {min(loads):.0f} ms best / "
        f"{max(loads):.0f} ms worst of 3; arrays {columns.memory_bytes() / 2**20:.1f} MB, "
        f"process RSS +{rss_mb() - before:.0f} MB after the loads"
    )

    requests = {}
    for name, (fields, requirements) in shapes.items():
        vacancy = save_vacancy(data={**base, **fields}, requirements=requirements, by=None)
        requests[name] = vacancy_inputs(vacancy), vacancy
    arguments = {"weights": weights, "ranked_limit": 100, "excluded_limit": 200, "today": today}
    for name, (inputs, _) in requests.items():
        same = rank_inputs(inputs, **arguments) == rank_with_statement(inputs, **arguments)
        print(f"engine and statement agree on '{name}': {same}")
        if not same:
            sys.exit("The engine and the statement disagree.")

    print(f"\n{args.repeat} interleaved rounds per measure (after 3 warm-up rounds)\n")
    print(
        "| request | pool | ranked | floor p50/p95 ms | statement p50/p95 ms "
        "| engine p50/p95 ms | engine ÷ floor p95 | stored run p50/p95 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    # Client-side binding, as Django's PostgreSQL backend does.
    with psycopg.connect(url, cursor_factory=psycopg.ClientCursor) as bare:
        bare.execute("SET work_mem = '64MB'")  # as the statement ran
        measures = {}
        for name, (inputs, _vacancy) in requests.items():
            statement, params, _ = build_ranking_sql(
                inputs, weights, today=today, ranked_limit=100, excluded_limit=200
            )
            floor, floor_params = floor_sql(inputs, today)
            measures[name] = {
                "floor": lambda st=floor, pa=floor_params: bare.execute(st, pa).fetchall(),
                "statement": lambda st=statement, pa=params: bare.execute(st, pa).fetchall(),
                "engine": lambda i=inputs: rank_inputs(i, **arguments),
            }
        timings = {name: {kind: [] for kind in kinds} for name, kinds in measures.items()}
        for round_number in range(args.repeat + 3):
            for name, kinds in measures.items():
                for kind, function in kinds.items():
                    started = time.perf_counter()
                    function()
                    if round_number >= 3:  # warm-up
                        timings[name][kind].append((time.perf_counter() - started) * 1000)
        for name, (inputs, vacancy) in requests.items():
            ranking = rank_inputs(inputs, **arguments)
            run_times = timed(lambda v=vacancy: run_matching(vacancy=v, by=None), args.repeat // 4)
            measured = timings[name]

            def cell(kind, measured=measured):
                values = measured[kind]
                return f"{statistics.median(values):.1f} / {percentile(values, 0.95):.1f}"

            ratio = percentile(measured["engine"], 0.95) / percentile(measured["floor"], 0.95)
            print(
                f"| {name} | {ranking.pool_size} | {ranking.ranked_count} | {cell('floor')} | "
                f"{cell('statement')} | {cell('engine')} | {ratio:.2f} | "
                f"{statistics.median(run_times):.0f} / {percentile(run_times, 0.95):.0f} |"
            )

    # Freshness: a change committed elsewhere is in the very next ranking.
    inputs = next(iter(requests.values()))[0]
    ready = list(
        Person.objects.filter(status="in carico", readiness="pronto").values_list("pk", flat=True)[
            :1000
        ]
    )
    with psycopg.connect(url, autocommit=True) as other:
        for changed in (1, 1000):
            other.execute(
                "UPDATE people_person SET weekly_hours = coalesce(weekly_hours, 20) + 1 "
                "WHERE id = ANY(%s)",
                [ready[:changed]],
            )
            started = time.perf_counter()
            rank_inputs(inputs, **arguments)
            elapsed = (time.perf_counter() - started) * 1000
            print(
                f"ranking right after {changed} people changed in another connection: "
                f"{elapsed:.0f} ms (the change included)"
            )
        other.execute("UPDATE people_person SET readiness = 'non pronto' WHERE id = %s", [ready[0]])
        ranking = rank_inputs(inputs, **{**arguments, "person_ids": [ready[0]]})
        print(f"a person who left the pool is out of the next ranking: {ranking.pool_size == 0}")
        other.execute("UPDATE people_person SET readiness = 'pronto' WHERE id = %s", [ready[0]])


if __name__ == "__main__":
    main()
