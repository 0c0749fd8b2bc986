"""Fixtures shared by every test: a real local SMTP server, the job worker, staff logins."""

import os
import shutil
import socket
import subprocess
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY

from approdo.accounts.middleware import LOGGED_IN_AT_KEY, SESSION_EPOCH_KEY
from approdo.accounts.roles import Role
from tests.factories import UserFactory


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def _smtp_controller():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture(autouse=True)
def mailbox(_smtp_controller, settings, tmp_path):
    """Every test sends through a real SMTP server; `mailbox` lists what it received."""
    controller, inbox = _smtp_controller
    inbox.messages.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.EXPORTS_DIR = tmp_path / "exports"
    return inbox.messages


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, and then: the ranking's pool holds a connection of its own
    (matching/pool.py), closed before the test database is dropped."""
    yield
    from approdo.matching import pool

    pool.current().close()


@pytest.fixture(scope="session")
def clamd_address(tmp_path_factory):
    """A real ClamAV daemon (Debian's clamd, offline) that knows one test signature; its
    socket's path. Started once for the session."""
    from tests.documents import CLAMAV_TEST_SIGNATURE

    clamd = shutil.which("clamd") or "/usr/sbin/clamd"
    if not os.access(clamd, os.X_OK):
        pytest.fail("clamd is missing: run `make system-deps` (Debian package clamav-daemon).")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    (folder / "db" / "approdo-test.ndb").write_text(
        f"Approdo.Test.Signature:0:*:{CLAMAV_TEST_SIGNATURE.encode().hex()}\n"
    )
    socket_path = folder / "clamd.sock"
    (folder / "clamd.conf").write_text(
        f"LocalSocket {socket_path}\nDatabaseDirectory {folder / 'db'}\nForeground yes\n"
        f"TemporaryDirectory {folder}\nLogFile {folder / 'clamd.log'}\n"
    )
    process = subprocess.Popen(
        [clamd, "-c", str(folder / "clamd.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with socket.socket(socket.AF_UNIX) as probe:
                probe.connect(str(socket_path))
                probe.sendall(b"zPING\0")
                if probe.recv(16).startswith(b"PONG"):
                    break
        except OSError:
            if process.poll() is not None:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start: {log[-2000:]}")
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("clamd did not answer within 90 s")
    yield str(socket_path)
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def run_tasks(monkeypatch):
    """Run the job worker once over what is queued (as `approdo worker --batch` does).

    The worker closes "old" connections between tasks; inside a test's transaction
    that would close the test's own connection, so that one step is skipped here.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    return run


def login(client, user):
    """Log in as after password and TOTP code (the two-factor flow is tested on its own)."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session[SESSION_EPOCH_KEY] = user.session_epoch
    session[LOGGED_IN_AT_KEY] = time.time()
    session.save()
    return client


@pytest.fixture
def operator(db):
    return UserFactory(role=Role.OPERATORE)


@pytest.fixture
def coordinator(db):
    return UserFactory(role=Role.COORDINATORE, username="coordinatrice")


@pytest.fixture
def ips_specialist(db):
    return UserFactory(role=Role.SPECIALISTA_IPS, username="specialista")


@pytest.fixture
def auditor(db):
    return UserFactory(role=Role.SOLA_LETTURA, username="revisore")


@pytest.fixture
def operator_client(client, operator):
    return login(client, operator)


@pytest.fixture
def coordinator_client(client, coordinator):
    return login(client, coordinator)


# Data migrations that load reference data; a transactional test's flush removes their rows.
REFERENCE_DATA_MIGRATIONS = (
    ("approdo.occupations.migrations.0002_initial_vocabulary", "load_vocabulary"),
    ("approdo.matching.migrations.0002_default_weights", "create_weights"),
    ("approdo.matching.migrations.0007_refusal_reasons", "default_reasons"),
)


@pytest.fixture
def reference_data(transactional_db):
    """Reload the ISTAT comuni, the occupation vocabulary, the weights and the refusal
    reasons if flushed."""
    import importlib

    from django.apps import apps

    from approdo.places.models import Comune
    from approdo.places.services import load_comuni

    if Comune.objects.exists():
        return
    load_comuni()
    for module, function in REFERENCE_DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
