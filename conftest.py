"""Fixtures shared by every test: a real local SMTP server, the job worker, staff logins."""

import socket
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
)


@pytest.fixture
def reference_data(transactional_db):
    """Reload the ISTAT comuni, the occupation vocabulary and the weights if flushed."""
    import importlib

    from django.apps import apps

    from approdo.places.models import Comune
    from approdo.places.services import load_comuni

    if Comune.objects.exists():
        return
    load_comuni()
    for module, function in REFERENCE_DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
