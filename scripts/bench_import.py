"""Benchmark of the legacy import: a generated export of 200,000 people into an empty database.

Generates the export once (scripts/make_legacy_export.py, in var/bench-export-N), imports
it into a fresh database (`approdo_bench_import`), imports it again (nothing may change),
then times the yearly report and the dashboard on the imported data (bench_report.py).

    .venv/bin/python scripts/bench_import.py [--people 200000] [--year 2025]

Each import prints its rows per second and the process's peak memory; memory does not grow
with the export (`--people 650000 --imports-only --database approdo_bench_import_2m` gives
an export of about two million rows to compare).
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from bench_people import use_bench_database  # noqa: E402
from bench_report import time_figures  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")


def timed_import(folder: Path, label: str):
    from approdo.legacy.importer import LegacyImport

    steps: list[tuple[float, str]] = []
    started = time.perf_counter()

    def progress(percent: int, message: str) -> None:
        steps.append((time.perf_counter() - started, message))

    with tempfile.TemporaryDirectory() as report_dir:
        result = LegacyImport(folder, progress=progress).run(report_dir=Path(report_dir))
    elapsed = time.perf_counter() - started
    rows = sum(result.rows.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label}: {rows} rows in {elapsed:.1f} s = {rows / elapsed:.0f} rows/s; "
        f"peak memory of the process so far {peak_mb:.0f} MB"
    )
    # Progress comes per batch ("Scrittura delle persone: 5.000 righe"): time per step.
    per_step: dict[str, float] = {}
    for (at, message), (after, _) in zip(steps, [*steps[1:], (elapsed, "")], strict=True):
        step = message.split(":")[0]
        per_step[step] = per_step.get(step, 0) + after - at
    for step, seconds in per_step.items():
        print(f"    {step}: {seconds:.1f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--imports-only",
        action="store_true",
        help="Only the first import (time and memory), no second run, no figures.",
    )
    parser.add_argument("--database", default="approdo_bench_import")
    args = parser.parse_args()

    folder = ROOT / "var" / f"bench-export-{args.people}"
    if not (folder / "percorsi.csv").exists():
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "make_legacy_export.py"),
                str(folder),
                "--people",
                str(args.people),
            ],
            check=True,
        )
        print(f"Export generated in {time.perf_counter() - started:.0f} s")
    use_bench_database(args.database, fresh=True)
    import django

    from approdo.embedded_db import configure_database

    configure_database()
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    first = timed_import(folder, "First import (empty database)")
    if first.error_count:
        sys.exit(f"The generated export has {first.error_count} errors: {first.errors[:3]}")
    if args.imports_only:
        return
    second = timed_import(folder, "Second import (same export)")
    if second.created or second.updated:
        sys.exit(f"The second import changed data: {second.created} {second.updated}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would, soon after a bulk load
    time_figures(args.year, args.repeat)


if __name__ == "__main__":
    main()
