"""Benchmark of the figures: the yearly report (JSON) and the dashboard, on 200,000 people.

Runs on the benchmark database of bench_people.py (seeded with companies and
placements if it has none), or with --database on another one, such as the
legacy import's (`approdo_bench_import`, made by bench_import.py).

    .venv/bin/python scripts/bench_report.py [--year 2026] [--repeat 10] [--database NAME]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from bench_people import BENCH_DB, percentile, use_bench_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")


def timed(label: str, function, repeat: int) -> None:
    timings, result = [], None
    for _ in range(repeat + 1):  # the first run warms the caches and is left out
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    timings = timings[1:]
    size = len(json.dumps(result, default=str)) if label.startswith("yearly") else 0
    print(
        f"  {label}: p50 {statistics.median(timings):.0f} ms, "
        f"p95 {percentile(timings, 0.95):.0f} ms" + (f" ({size} bytes of JSON)" if size else "")
    )


def time_figures(year: int, repeat: int) -> None:
    """Time the yearly report and three dashboard views of the same data."""
    from datetime import date

    from approdo.people.models import Person
    from approdo.placements.models import Placement
    from approdo.reports.indicators import Scope, annual_report, period_figures

    print(f"{Person.objects.count()} people, {Placement.objects.count()} placements:")
    timed(f"yearly report {year} (JSON)", lambda: annual_report(year), repeat)
    timed(f"dashboard, year {year}", lambda: period_figures(Scope.year(year)), repeat)
    timed(
        f"dashboard, {year - 2}-{year}, non-EU citizens aged 25-34",
        lambda: period_figures(
            Scope(
                date(year - 2, 1, 1), date(year, 12, 31), citizenship="extra UE", age_band="25-34"
            )
        ),
        repeat,
    )
    timed(
        f"dashboard, year {year}, women in IPS",
        lambda: period_figures(Scope.year(year, sex="F", programme="IPS")),
        repeat,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--database", default=BENCH_DB)
    args = parser.parse_args()
    use_bench_database(args.database)
    import django

    from approdo.embedded_db import configure_database

    configure_database()
    django.setup()
    from django.core.management import call_command

    from approdo.demo.seed import seed_companies
    from approdo.placements.models import Placement

    call_command("migrate", verbosity=0)
    if not Placement.objects.exists():
        seed_companies(250)
    time_figures(args.year, args.repeat)


if __name__ == "__main__":
    main()
