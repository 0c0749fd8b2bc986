"""Benchmark of the yearly report over the benchmark database (200,000 people).

.venv/bin/python scripts/bench_report.py [--year 2026] [--repeat 10]
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

from bench_people import percentile, use_bench_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    use_bench_database()
    import django

    django.setup()
    from django.core.management import call_command

    from approdo.demo.seed import seed_companies
    from approdo.people.models import Person
    from approdo.placements.models import Placement
    from approdo.reports.indicators import annual_report

    call_command("migrate", verbosity=0)
    if not Placement.objects.exists():
        seed_companies(250)
    timings = []
    for _ in range(args.repeat + 1):
        started = time.perf_counter()
        report = annual_report(args.year)
        timings.append((time.perf_counter() - started) * 1000)
    timings = timings[1:]
    print(
        f"{Person.objects.count()} people, {Placement.objects.count()} placements: yearly "
        f"report {args.year} p50 {statistics.median(timings):.0f} ms, "
        f"p95 {percentile(timings, 0.95):.0f} ms ({len(json.dumps(report))} bytes of JSON)"
    )


if __name__ == "__main__":
    main()
