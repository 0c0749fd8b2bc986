"""Write a synthetic legacy export (FORMAT.md) of any size, for the import benchmark.

.venv/bin/python scripts/make_legacy_export.py OUTPUT_DIR [--people 200000]
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()
    import django

    from approdo.embedded_db import configure_database

    configure_database()
    django.setup()
    from approdo.legacy.synthetic import write_synthetic_export

    counts = write_synthetic_export(args.output, people=args.people, seed=args.seed)
    for name, count in counts.items():
        print(f"{name}: {count} righe")
    print(f"Totale: {sum(counts.values())} righe in {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
