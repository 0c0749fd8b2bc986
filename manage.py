#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")
    from django.core.management import execute_from_command_line

    from approdo.embedded_db import configure_database

    configure_database()
    execute_from_command_line(sys.argv)
