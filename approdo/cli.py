"""The `approdo` console command: Django's management commands under one name, and
`approdo db status|stop` for the embedded PostgreSQL (handled before Django starts, so that
asking about the database does not start it)."""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["db"]:
        sys.exit(database_command(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")
    from django.core.management import execute_from_command_line

    from approdo.embedded_db import configure_database

    configure_database()
    execute_from_command_line(["approdo", *sys.argv[1:]])


def database_command(arguments: list[str]) -> int:
    import argparse

    from approdo.embedded_db import data_dir, embedded_database_status, stop_embedded_database

    parser = argparse.ArgumentParser(
        prog="approdo db",
        description="Il PostgreSQL incorporato (senza DATABASE_URL): stato e arresto. Si avvia "
        "da solo con qualsiasi altro comando.",
    )
    parser.add_argument("action", choices=["status", "stop"])
    action = parser.parse_args(arguments).action
    folder = data_dir()
    if action == "status":
        print(embedded_database_status(folder))
        return 0
    if stop_embedded_database(folder):
        print(f"Database incorporato in {folder} fermato.")
        return 0
    print(f"Il database incorporato in {folder} non era avviato.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    main()
