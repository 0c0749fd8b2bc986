"""A pytest plugin (`-p approdo.pytest_database`, in pyproject.toml): the test run uses
the embedded PostgreSQL unless DATABASE_URL names a server, like every entry point."""

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # Before pytest-django reads the settings.
    from approdo.embedded_db import configure_database

    configure_database()
