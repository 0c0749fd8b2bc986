"""Benchmark of the matching: one request ranked against 200,000 people.

Uses the benchmark database of scripts/bench_people.py (seeded there), adds a
company and three requests of different shapes, then times, for each:
the bare SQL statement (psycopg, no Django), the ranking as the application
runs it (rank_candidates), and a full stored run (run_matching).

    .venv/bin/python scripts/bench_matching.py [--repeat 40]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from bench_people import percentile, use_bench_database  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    use_bench_database()
    import django

    from approdo.embedded_db import configure_database

    configure_database()
    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.utils import timezone

    from approdo.companies.models import Company
    from approdo.matching.engine import build_ranking_sql, rank_candidates, vacancy_inputs
    from approdo.matching.services import current_weights, run_matching
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
    print(f"\n{people} people; {args.repeat} runs per measure (after 3 warm-up runs)\n")
    print(
        "| request | pool | ranked | bare SQL p50/p95 ms | ranking p50/p95 ms | ratio p50 "
        "| stored run p50/p95 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    # Client-side binding, as Django's PostgreSQL backend does.
    with psycopg.connect(url, cursor_factory=psycopg.ClientCursor) as bare:
        bare.execute("SET work_mem = '64MB'")  # as the application does
        for name, (fields, requirements) in shapes.items():
            vacancy = save_vacancy(data={**base, **fields}, requirements=requirements, by=None)
            inputs = vacancy_inputs(vacancy)
            statement, params, _ = build_ranking_sql(
                inputs, weights, today=timezone.localdate(), ranked_limit=100, excluded_limit=200
            )
            sql_times = timed(
                lambda st=statement, pa=params: bare.execute(st, pa).fetchall(), args.repeat
            )
            ranking = rank_candidates(vacancy, weights=weights)
            app_times = timed(lambda v=vacancy: rank_candidates(v, weights=weights), args.repeat)
            run_times = timed(lambda v=vacancy: run_matching(vacancy=v, by=None), args.repeat // 4)
            ratio = statistics.median(app_times) / statistics.median(sql_times)
            print(
                f"| {name} | {ranking.pool_size} | {ranking.ranked_count} | "
                f"{statistics.median(sql_times):.0f} / {percentile(sql_times, 0.95):.0f} | "
                f"{statistics.median(app_times):.0f} / {percentile(app_times, 0.95):.0f} | "
                f"{ratio:.2f} | {statistics.median(run_times):.0f} / "
                f"{percentile(run_times, 0.95):.0f} |"
            )


if __name__ == "__main__":
    main()
