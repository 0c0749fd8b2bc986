"""The `approdo` console command: Django's management commands under one name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")
    from django.core.management import execute_from_command_line

    from approdo.embedded_db import configure_database

    configure_database()
    execute_from_command_line(["approdo", *sys.argv[1:]])


if __name__ == "__main__":
    main()
