"""A backup restored into an empty instance has every row and every document."""

import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from psycopg.conninfo import make_conninfo

from approdo.core.backup import BackupError, _conninfo, create_backup, restore_backup
from approdo.people.services import store_document
from tests.documents import PDF
from tests.factories import PersonFactory


@pytest.fixture
def empty_database():
    """A new, empty database on the same server, and its URL; dropped afterwards."""
    name = f"approdo_restore_{uuid.uuid4().hex[:8]}"
    server = make_conninfo(_conninfo(), dbname="postgres")
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield make_conninfo(server, dbname=name), name
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(conninfo: str) -> str:
    parts = dict(item.split("=", 1) for item in conninfo.split())
    host = parts.get("host", "")
    user = parts.get("user", "postgres")
    port = f":{parts['port']}" if "port" in parts else ""
    if host.startswith("/"):
        return f"postgresql://{user}@/{parts['dbname']}?host={host}"
    return f"postgresql://{user}@{host or 'localhost'}{port}/{parts['dbname']}"


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_instance_is_verified_whole(
    reference_data, tmp_path, settings, empty_database
):
    people = PersonFactory.create_batch(5)
    store_document(person=people[0], kind="cv", uploaded_file=SimpleUploadedFile("cv.pdf", PDF))
    folder = create_backup(tmp_path / "backups")
    assert {p.name for p in folder.iterdir()} == {"database.dump", "documents.tar", "manifest.json"}

    conninfo, _ = empty_database
    data_dir = tmp_path / "nuova-istanza"
    restored = subprocess.run(
        [sys.executable, "-m", "approdo.cli", "restore", str(folder)],
        env={**os.environ, "DATABASE_URL": _url(conninfo), "APPRODO_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
    )
    assert restored.returncode == 0, restored.stderr
    assert "Ripristino completato e verificato" in restored.stdout
    with psycopg.connect(conninfo) as copy:
        assert copy.execute("SELECT count(*) FROM people_person").fetchone()[0] == 5
    assert (data_dir / "documents").exists()


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_that_is_not_empty_is_refused(reference_data, tmp_path):
    folder = create_backup(tmp_path)
    with pytest.raises(BackupError, match="non è vuoto"):
        restore_backup(folder)
