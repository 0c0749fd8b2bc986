"""The commands a newcomer runs: the embedded database's status and stop, the demo's logins."""

import os
import subprocess
import sys

import pytest
from django.test import Client


def _approdo(*arguments, data_dir):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["APPRODO_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "approdo.cli", *arguments], env=env, capture_output=True, text=True
    )


def test_db_status_and_stop_do_not_start_the_database(tmp_path):
    status = _approdo("db", "status", data_dir=tmp_path)
    assert status.returncode == 0
    assert "Nessun database incorporato" in status.stdout
    stop = _approdo("db", "stop", data_dir=tmp_path)
    assert stop.returncode == 1 and "non era avviato" in stop.stderr
    assert not (tmp_path / "pgdata").exists()


@pytest.mark.django_db
def test_the_demo_login_page_shows_its_logins_and_only_in_the_demo(settings, operator):
    settings.DEMO_PASSWORD = ""
    assert "Accessi della demo" not in Client().get("/accesso/").content.decode()
    settings.DEMO_PASSWORD = "approdo-demo-2026"
    page = Client().get("/accesso/").content.decode()
    assert "Accessi della demo" in page and operator.username in page
    assert "approdo-demo-2026" in page


@pytest.mark.django_db
def test_the_favicon_is_served_without_login():
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("approdo/favicon.svg")
