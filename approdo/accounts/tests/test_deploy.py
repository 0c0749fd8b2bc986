import os
import subprocess
import sys
from pathlib import Path


def test_deploy_checks_pass_with_production_settings(tmp_path):
    """`manage.py check --deploy` is clean when configured as the README says for production."""
    env = {
        **os.environ,
        "APPRODO_PRODUCTION": "1",
        "APPRODO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "APPRODO_ALLOWED_HOSTS": "approdo.example.org",
        "APPRODO_DATA_DIR": str(tmp_path),
        # Checks do not query the database; the URL only has to be well formed.
        "DATABASE_URL": "postgres://approdo@127.0.0.1:5432/approdo",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for themselves
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
